'use strict';
// The desktop: loads the qube list, keeps one display (tunnel) per running qube, routes the keyboard
// to the focused window's qube only, handles Ctrl+Shift+C / Ctrl+Shift+V (the secure clipboard, kept
// by the gateway; the browser's clipboard is not touched), and follows the gateway's event stream
// (qube state, zones, qrexec ask decisions).
Qair.desktop = (function () {
  var displays = {};     // qube -> QubeDisplay
  var pressed = {};      // keysym -> QubeDisplay that got the press (its release goes there too)
  var refreshTimer = null;
  var KEY_C = [0x43, 0x63], KEY_V = [0x56, 0x76];

  function refresh() {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(load, 150);
  }

  function load() {
    return Qair.api.get('/api/desktop').then(function (d) {
      Qair.panel.update(d);
      var running = {};
      d.zones.forEach(function (z) {
        z.qubes.forEach(function (q) {
          if (q.state === 'RUNNING') {
            running[q.name] = q;
          }
        });
      });
      Object.keys(displays).forEach(function (name) {
        if (!running[name] || running[name].color !== displays[name].color) {
          displays[name].close();
          delete displays[name];
        }
      });
      Object.keys(running).forEach(function (name) {
        if (!displays[name]) {
          displays[name] = new Qair.QubeDisplay(name, running[name].color);
        }
      });
    }).catch(function (e) { Qair.notices.error('Cannot list the qubes: ' + e.message); });
  }

  function loadAsks() {
    return Qair.api.get('/api/asks').then(function (asks) {
      asks.forEach(function (a) { Qair.dialogs.ask(a); });
    }).catch(function (e) { Qair.notices.error('Cannot list pending questions: ' + e.message); });
  }

  function keyboard() {
    var kb = new Guacamole.Keyboard(document);
    kb.onkeydown = function (keysym) {
      var w = Qair.windows.focused();
      if (Qair.dialogs.isOpen() || !w) {
        return true;  // to the browser (dialog buttons, nothing focused)
      }
      var d = w.owner;
      if (kb.modifiers.ctrl && kb.modifiers.shift && (KEY_C.indexOf(keysym) >= 0 || KEY_V.indexOf(keysym) >= 0)) {
        if (KEY_C.indexOf(keysym) >= 0) { d.copy(); } else { d.paste(); }
        pressed[keysym] = null;  // its release goes nowhere
        return false;
      }
      pressed[keysym] = d;
      d.send('key', keysym, 1);
      return false;
    };
    kb.onkeyup = function (keysym) {
      var d = pressed[keysym];
      delete pressed[keysym];
      if (d) { d.send('key', keysym, 0); }
    };
    window.addEventListener('blur', function () {
      Object.keys(pressed).forEach(function (k) {
        if (pressed[k]) { pressed[k].send('key', parseInt(k, 10), 0); }
      });
      pressed = {};
      kb.reset();
    });
  }

  function events() {
    var source = new EventSource('/api/events');
    ['qube-state', 'qube-created', 'qube-removed', 'property-set', 'property-reset', 'zone-created',
      'zone-state', 'zone-removed', 'master-up'].forEach(function (t) {
      source.addEventListener(t, refresh);
    });
    source.addEventListener('policy-ask', loadAsks);
    ['policy-ask-answered', 'policy-ask-expired'].forEach(function (t) {
      source.addEventListener(t, function (e) {
        try { Qair.dialogs.close('ask:' + JSON.parse(e.data).subject); } catch (ignored) { /* malformed */ }
      });
    });
    source.addEventListener('master-down', function () { Qair.notices.error('Lost the master; reconnecting'); });
    source.addEventListener('app-exited', function (e) {
      try {
        var x = JSON.parse(e.data);
        Qair.notices.error(x.app + ' in ' + x.qube + ' exited with ' + x.code + (x.stderr ? ': ' + x.stderr : ''));
      } catch (ignored) { /* malformed */ }
    });
    source.onopen = function () { refresh(); loadAsks(); };
  }

  function start() {
    Qair.panel.init();
    Qair.api.init().then(function () {
      keyboard();
      events();
      return Promise.all([load(), loadAsks()]);
    });
  }

  document.addEventListener('DOMContentLoaded', start);

  return {
    refresh: refresh,
    displays: function () { return displays; }
  };
})();
