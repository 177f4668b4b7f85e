'use strict';
// One qube's display: a Guacamole.WebSocketTunnel to /tunnel?qube=NAME and a Guacamole.Display whose
// layers are the qube's X windows. The instructions are handled here (not by Guacamole.Client), so
// the page runs only the display.md set: size, img/blob/end, copy, cursor, dispose, sync and the
// qair-* window and clipboard messages. Each layer's element is moved into its own page window
// (windows.js). A "sync" is acknowledged once the frame is painted: the qube's flow control.
Qair.QubeDisplay = function (qube, color) {
  var self = this;
  var RETRY_MIN_MS = 2000, RETRY_MAX_MS = 30000;
  var display = null;
  var tunnel = null;
  var layers = {};    // index -> Guacamole layer (windows > 0, buffers < 0)
  var windows = {};   // index -> PageWindow
  var streams = {};   // index -> Guacamole.InputStream
  var sizes = {};     // index -> [width, height] as last sized
  var noAcks = { sendAck: function () {} };  // image streams need no acknowledgement
  var cursorCss = null;
  var closed = false;
  var retryMs = RETRY_MIN_MS;
  var retryTimer = null;

  this.qube = qube;
  this.color = color;

  this.send = function () {
    if (tunnel && tunnel.isConnected()) {
      tunnel.sendMessage.apply(tunnel, arguments);
    }
  };

  function layer(index) {
    var l = layers[index];
    if (!l) {
      l = index > 0 ? display.createLayer() : display.createBuffer();
      layers[index] = l;
    }
    return l;
  }

  function int(s) { return parseInt(s, 10); }

  var handlers = {
    'size': function (a) {
      var index = int(a[0]), w = int(a[1]), h = int(a[2]);
      display.resize(layer(index), w, h);
      sizes[index] = [w, h];
      if (windows[index]) { windows[index].setSize(w, h); }
    },
    'img': function (a) {
      var s = new Guacamole.InputStream(noAcks, int(a[0]));
      streams[int(a[0])] = s;
      var l = layer(int(a[2]));
      display.setChannelMask(l, int(a[1]));
      display.drawStream(l, int(a[4]), int(a[5]), s, a[3]);
    },
    'blob': function (a) {
      var s = streams[int(a[0])];
      if (s && s.onblob) { s.onblob(a[1]); }
    },
    'end': function (a) {
      var s = streams[int(a[0])];
      delete streams[int(a[0])];
      if (s && s.onend) { s.onend(); }
    },
    'copy': function (a) {
      var dst = layer(int(a[6]));
      display.setChannelMask(dst, int(a[5]));
      display.copy(layer(int(a[0])), int(a[1]), int(a[2]), int(a[3]), int(a[4]), dst, int(a[7]), int(a[8]));
    },
    'cursor': function (a) {
      display.setCursor(int(a[0]), int(a[1]), layer(int(a[2])), int(a[3]), int(a[4]), int(a[5]), int(a[6]));
    },
    'dispose': function (a) {
      var index = int(a[0]);
      if (windows[index]) {
        windows[index].destroy();
        delete windows[index];
      }
      if (layers[index] && index > 0) { display.dispose(layers[index]); }
      delete layers[index];
      delete sizes[index];
    },
    'sync': function (a) {
      var ts = a[0];
      display.flush(function () { self.send('sync', ts); });
    },
    'qair-window': function (a) {
      var index = int(a[0]);
      var w = windows[index];
      if (!w) {
        w = windows[index] = new Qair.windows.PageWindow(self, index, layer(index));
        var size = sizes[index] || [0, 0];
        w.setSize(size[0], size[1]);
      }
      var parent = windows[int(a[2])] || null;
      w.map(a[1], parent, int(a[3]), int(a[4]), a[5]);
      if (cursorCss) { w.content.style.cursor = cursorCss; }
      if (a[1] !== 'popup' && !Qair.windows.focused()) { w.focus(); }
    },
    'qair-unmap': function (a) {
      var w = windows[int(a[0])];
      if (w) { w.unmap(); }
    },
    'qair-error': function (a) { Qair.notices.error('[' + qube + '] ' + a[0]); },
    'qair-notice': function (a) {
      if (a[0] === 'error') { Qair.notices.error(a[1]); } else { Qair.notices.info(a[1]); }
    },
    'qair-copied': function (a) { Qair.notices.info('Copied ' + a[1] + ' characters from ' + a[0]); },
    'qair-pasted': function (a) { Qair.notices.info('Pasted ' + a[2] + ' characters from ' + a[0] + ' into ' + a[1]); },
    'qair-paste-denied': function (a) { Qair.notices.error('Paste from ' + a[0] + ' into ' + a[1] + ' denied by policy'); },
    'qair-paste-ask': function (a) {
      var token = a[0];
      Qair.dialogs.paste(token, a[1], a[2], a[3], function (yes) {
        self.send('qair-paste-confirm', token, yes ? '1' : '0');
      });
    }
  };

  function connect() {
    display = new Guacamole.Display();
    display.oncursor = function (canvas, x, y) {
      cursorCss = 'url(' + canvas.toDataURL('image/png') + ') ' + x + ' ' + y + ', default';
      Object.keys(windows).forEach(function (k) {
        if (windows[k].content) { windows[k].content.style.cursor = cursorCss; }
      });
    };
    tunnel = new Guacamole.WebSocketTunnel('/tunnel');
    tunnel.receiveTimeout = 30000;
    tunnel.oninstruction = function (opcode, args) {
      var h = handlers[opcode];
      if (h) {
        try {
          h(args);
        } catch (e) {
          // one bad instruction must not take the whole display down
          console.error('[' + qube + '] ' + opcode + ': ' + e);
        }
      }
    };
    tunnel.onstatechange = function (state) {
      if (state === Guacamole.Tunnel.State.OPEN) {
        retryMs = RETRY_MIN_MS;
      } else if (state === Guacamole.Tunnel.State.CLOSED) {
        teardown();
        if (!closed) {
          retryTimer = window.setTimeout(connect, retryMs);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        }
      }
    };
    tunnel.connect('qube=' + encodeURIComponent(qube));
  }

  function teardown() {
    Object.keys(windows).forEach(function (k) { windows[k].destroy(); });
    windows = {};
    layers = {};
    streams = {};
    sizes = {};
    if (display) { display.cancel(); }
  }

  /** Input from a window's element (its content box, or a popup's box) goes to that window's layer. */
  this.attachMouse = function (win, element) {
    var mouse = new Guacamole.Mouse(element);
    mouse.onEach(['mousedown', 'mouseup', 'mousemove'], function (e) {
      e.stopPropagation();  // a popup's events are its own, not its parent's
      var s = e.state;
      var mask = (s.left ? 1 : 0) | (s.middle ? 2 : 0) | (s.right ? 4 : 0) | (s.up ? 8 : 0) | (s.down ? 16 : 0);
      self.send('qair-mouse', win.index, Math.round(s.x), Math.round(s.y), mask);
    });
  };

  this.copy = function () { self.send('qair-copy'); };
  this.paste = function () { self.send('qair-paste'); };

  this.close = function () {
    closed = true;
    window.clearTimeout(retryTimer);
    if (tunnel) { tunnel.disconnect(); }
    teardown();
  };

  this.windowCount = function () { return Object.keys(windows).length; };

  connect();
};
