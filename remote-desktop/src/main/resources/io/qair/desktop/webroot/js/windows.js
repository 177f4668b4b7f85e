'use strict';
// Page windows: every X window of every qube gets its own frame and title bar, drawn by the page in
// the qube's label colour (solid, the exact palette value), titled "[qube] title". The qube's pixels
// live only inside the frame's content box: a popup (menu) has no frame but is placed inside its
// parent's content box and clipped by it. Move by dragging the title bar, resize by dragging the
// frame, focus on click, minimise to the taskbar, close politely (the qube decides).
Qair.windows = (function () {
  var BORDER = 5;        // .qwin border-width
  var TITLE = 24;        // .qwin-title height
  var RESIZE_DEBOUNCE_MS = 150;
  var z = 10;
  var cascade = 0;
  var focused = null;    // the PageWindow with keyboard focus
  var all = [];

  function el(tag, cls) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    return e;
  }

  /** Black or white text, whichever reads better on `color` (#rrggbb). */
  function textColor(color) {
    var r = parseInt(color.substr(1, 2), 16), g = parseInt(color.substr(3, 2), 16), b = parseInt(color.substr(5, 2), 16);
    return (0.299 * r + 0.587 * g + 0.114 * b) > 150 ? '#000000' : '#ffffff';
  }

  /**
   * @param owner  the QubeDisplay: qube name, colour, send(opcode, args...)
   * @param index  the Guacamole layer index of the X window
   * @param layer  its Guacamole.Display.VisibleLayer
   */
  function PageWindow(owner, index, layer) {
    this.owner = owner;
    this.index = index;
    this.layer = layer;
    this.kind = null;
    this.parent = null;
    this.width = 0;
    this.height = 0;
    this.visible = false;
    this.minimized = false;
    this.dragging = false;
    this.title = '';
    this.root = null;
    this.content = null;
    this.task = null;
    this.resizeTimer = null;
    this.offsetX = 0;
    this.offsetY = 0;
    all.push(this);
  }

  /** Shows the window as `kind` (normal | transient | popup); popups sit at parent + (dx, dy). */
  PageWindow.prototype.map = function (kind, parent, dx, dy, title) {
    var wasPopup = this.kind === 'popup';
    this.parent = parent;
    var at = kind === 'popup' && parent ? this.anchor(dx, dy) : null;
    // a popup needs a framed ancestor to live in; otherwise it gets a frame of its own
    var isPopup = !!(at && at.frame.kind !== 'popup' && at.frame.content);
    if (this.root && wasPopup !== !!isPopup) {
      this.detach();
    }
    this.kind = isPopup ? 'popup' : (kind === 'popup' ? 'normal' : kind);
    this.title = title;
    if (!this.root) {
      if (isPopup) {
        this.buildPopup();
      } else {
        this.buildFrame(parent, dx, dy);
      }
    }
    if (isPopup) {
      if (this.root.parentNode !== at.frame.content) {
        at.frame.content.appendChild(this.root);
      }
      this.root.style.left = at.x + 'px';
      this.root.style.top = at.y + 'px';
      this.root.style.zIndex = String(++z);
    } else {
      this.titleText.textContent = '[' + this.owner.qube + '] ';
      var bdi = el('bdi');
      bdi.textContent = title;
      this.titleText.appendChild(bdi);
      if (this.task) {
        this.task.lastChild.textContent = '[' + this.owner.qube + '] ' + title;
      }
    }
    this.visible = true;
    this.applyVisibility();
    this.applySize();
  };

  PageWindow.prototype.buildFrame = function (parent, dx, dy) {
    var self = this;
    var color = this.owner.color;
    var root = el('div', 'qwin');
    root.dataset.qube = this.owner.qube;
    root.dataset.layer = String(this.index);
    root.style.borderColor = color;
    root.style.backgroundColor = color;
    root.style.color = textColor(color);
    var titleBar = el('div', 'qwin-title');
    titleBar.style.backgroundColor = color;
    var titleText = el('span', 'qwin-title-text');
    var minimize = el('button', 'qwin-button qwin-minimize');
    minimize.type = 'button';
    minimize.textContent = '_';
    minimize.title = 'Minimise';
    var close = el('button', 'qwin-button qwin-close');
    close.type = 'button';
    close.textContent = '\u00d7';
    close.title = 'Close';
    titleBar.appendChild(titleText);
    titleBar.appendChild(minimize);
    titleBar.appendChild(close);
    var content = el('div', 'qwin-content');
    content.appendChild(this.layer.getElement());
    root.appendChild(titleBar);
    root.appendChild(content);
    this.root = root;
    this.content = content;
    this.titleText = titleText;

    var x, y;
    if (parent && parent.root && parent.kind !== 'popup') {
      x = parent.root.offsetLeft + (dx || 40);
      y = parent.root.offsetTop + (dy || 40);
    } else {
      x = 30 + (cascade % 10) * 36;
      y = 20 + (cascade % 10) * 30;
      cascade++;
    }
    root.style.left = Math.max(0, x) + 'px';
    root.style.top = Math.max(0, y) + 'px';
    // a new window comes up on top, but does not take the keyboard: a qube must not be able to
    // steal the keystrokes meant for another qube's window by mapping one at the right moment
    root.style.zIndex = String(++z);
    document.getElementById('workspace').appendChild(root);

    root.addEventListener('mousedown', function () { self.focus(); }, true);
    minimize.addEventListener('mousedown', function (e) { e.stopPropagation(); });
    close.addEventListener('mousedown', function (e) { e.stopPropagation(); });
    minimize.addEventListener('click', function () { self.minimize(); });
    close.addEventListener('click', function () { self.owner.send('qair-close', self.index); });
    titleBar.addEventListener('mousedown', function (e) { self.startMove(e); });
    root.addEventListener('mousedown', function (e) {
      if (e.target === root) { self.startResize(e); }
    });
    this.owner.attachMouse(this, content);
    this.addTask();
  };

  PageWindow.prototype.buildPopup = function () {
    var root = el('div', 'qwin-popup');
    root.dataset.qube = this.owner.qube;
    root.dataset.layer = String(this.index);
    root.appendChild(this.layer.getElement());
    this.root = root;
    this.content = root;
    this.owner.attachMouse(this, root);
  };

  /**
   * Where a popup goes: inside the content box of its nearest framed ancestor (so it is clipped
   * by that frame), at the sum of the popup offsets on the way up.
   */
  PageWindow.prototype.anchor = function (dx, dy) {
    var x = dx, y = dy, w = this.parent;
    for (var depth = 0; w.kind === 'popup' && w.parent && depth < 8; depth++) {
      x += w.offsetX;
      y += w.offsetY;
      w = w.parent;
    }
    this.offsetX = dx;
    this.offsetY = dy;
    return { frame: w, x: x, y: y };
  };

  PageWindow.prototype.detach = function () {
    if (this.root && this.root.parentNode) {
      this.root.parentNode.removeChild(this.root);
    }
    if (this.task && this.task.parentNode) {
      this.task.parentNode.removeChild(this.task);
    }
    this.root = null;
    this.content = null;
    this.task = null;
  };

  PageWindow.prototype.addTask = function () {
    var self = this;
    var task = el('button', 'task');
    task.type = 'button';
    task.dataset.qube = this.owner.qube;
    task.dataset.layer = String(this.index);
    var sw = el('span', 'task-swatch');
    sw.style.backgroundColor = this.owner.color;
    task.appendChild(sw);
    task.appendChild(el('span'));
    task.addEventListener('click', function () {
      if (self.minimized || focused !== self) {
        self.minimized = false;
        self.applyVisibility();
        self.focus();
      } else {
        self.minimize();
      }
    });
    document.getElementById('taskbar').appendChild(task);
    this.task = task;
  };

  /** The X window's size changed (Guacamole "size"); the frame follows unless the user is dragging it. */
  PageWindow.prototype.setSize = function (w, h) {
    this.width = w;
    this.height = h;
    if (!this.dragging) {
      this.applySize();
    }
  };

  PageWindow.prototype.applySize = function () {
    if (!this.content) { return; }
    this.content.style.width = this.width + 'px';
    this.content.style.height = this.height + 'px';
  };

  PageWindow.prototype.applyVisibility = function () {
    if (!this.root) { return; }
    var hidden = !this.visible || this.minimized;
    this.root.classList.toggle('qwin-hidden', hidden);
    if (this.task) {
      this.task.hidden = !this.visible;
    }
    if (hidden && focused === this) {
      this.blur();
    }
  };

  PageWindow.prototype.unmap = function () {
    this.visible = false;
    this.applyVisibility();
  };

  PageWindow.prototype.minimize = function () {
    this.minimized = true;
    this.applyVisibility();
  };

  PageWindow.prototype.focus = function () {
    if (this.kind === 'popup') {
      return;
    }
    this.root.style.zIndex = String(++z);
    if (focused === this) {
      return;
    }
    if (focused) {
      focused.blur();
    }
    focused = this;
    this.root.classList.add('qwin-focused');
    this.owner.send('qair-focus', this.index);
  };

  PageWindow.prototype.blur = function () {
    if (this.root) {
      this.root.classList.remove('qwin-focused');
    }
    if (focused === this) {
      focused = null;
    }
  };

  PageWindow.prototype.destroy = function () {
    this.blur();
    window.clearTimeout(this.resizeTimer);
    this.detach();
    all = all.filter(function (w) { return w !== this; }, this);
  };

  PageWindow.prototype.startMove = function (e) {
    if (e.button !== 0) { return; }
    e.preventDefault();
    var root = this.root;
    var sx = e.clientX, sy = e.clientY, ox = root.offsetLeft, oy = root.offsetTop;
    drag(function (ev) {
      root.style.left = (ox + ev.clientX - sx) + 'px';
      root.style.top = Math.max(0, oy + ev.clientY - sy) + 'px';
    });
  };

  PageWindow.prototype.startResize = function (e) {
    if (e.button !== 0) { return; }
    e.preventDefault();
    var self = this;
    var r = this.root.getBoundingClientRect();
    var west = e.clientX < r.left + BORDER + 2, north = e.clientY < r.top + BORDER + 2;
    var east = e.clientX > r.right - BORDER - 2, south = e.clientY > r.bottom - BORDER - 2;
    var sx = e.clientX, sy = e.clientY, ow = this.width, oh = this.height;
    var ox = this.root.offsetLeft, oy = this.root.offsetTop;
    this.dragging = true;
    drag(function (ev) {
      var dx = ev.clientX - sx, dy = ev.clientY - sy;
      var w = Math.max(40, ow + (east ? dx : west ? -dx : 0));
      var h = Math.max(20, oh + (south ? dy : north ? -dy : 0));
      if (west) { self.root.style.left = (ox + ow - w) + 'px'; }
      if (north) { self.root.style.top = (oy + oh - h) + 'px'; }
      self.content.style.width = w + 'px';
      self.content.style.height = h + 'px';
      self.requestResize(w, h);
    }, function () {
      self.dragging = false;
    });
  };

  /** Tells the qube the frame's new content size, debounced: the X window follows. */
  PageWindow.prototype.requestResize = function (w, h) {
    var self = this;
    window.clearTimeout(this.resizeTimer);
    this.resizeTimer = window.setTimeout(function () {
      self.owner.send('qair-resize', self.index, Math.round(w), Math.round(h));
    }, RESIZE_DEBOUNCE_MS);
  };

  function drag(onMove, onEnd) {
    function move(ev) { onMove(ev); }
    function up() {
      document.removeEventListener('mousemove', move, true);
      document.removeEventListener('mouseup', up, true);
      if (onEnd) { onEnd(); }
    }
    document.addEventListener('mousemove', move, true);
    document.addEventListener('mouseup', up, true);
  }

  return {
    PageWindow: PageWindow,
    focused: function () { return focused; },
    all: function () { return all.slice(); },
    textColor: textColor,
    BORDER: BORDER,
    TITLE: TITLE
  };
})();
