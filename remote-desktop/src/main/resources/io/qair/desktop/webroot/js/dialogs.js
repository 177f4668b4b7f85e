'use strict';
// Modal dialogs drawn by the page (never by a qube): qrexec "ask" decisions and paste confirmations.
// While one is open, the keyboard goes to the dialog, not to any qube.
Qair.dialogs = (function () {
  var open = {};   // key -> dialog element
  var queue = [];  // keys in the order they were opened; the first is shown

  function layer() { return document.getElementById('modal-layer'); }

  function render() {
    var l = layer();
    while (l.firstChild) {
      l.removeChild(l.firstChild);
    }
    if (queue.length === 0) {
      l.hidden = true;
      return;
    }
    l.appendChild(open[queue[0]]);
    l.hidden = false;
    var focus = open[queue[0]].querySelector('select, button');
    if (focus) {
      focus.focus();
    }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function button(text, cls, onClick) {
    var b = el('button', cls, text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  /** Shows a dialog under key; `build(dialog, close)` fills it. A key already shown is left as is. */
  function show(key, build) {
    if (open[key]) {
      return;
    }
    var d = el('div', 'dialog');
    d.setAttribute('role', 'dialog');
    d.dataset.key = key;
    open[key] = d;
    queue.push(key);
    build(d, function () { close(key); });
    render();
  }

  function close(key) {
    if (!open[key]) {
      return;
    }
    delete open[key];
    queue = queue.filter(function (k) { return k !== key; });
    render();
  }

  /** A pending qrexec ask from the master: choose the target, allow or deny; the answer is POSTed. */
  function ask(a) {
    show('ask:' + a.id, function (d, done) {
      d.classList.add('ask-dialog');
      d.dataset.ask = a.id;
      d.appendChild(el('h2', null, 'Allow this call?'));
      var what = a.service + (a.argument ? '+' + a.argument : '');
      d.appendChild(el('p', null, a.source + ' wants to call ' + what));
      d.appendChild(el('p', null, 'Target:'));
      var select = el('select', 'ask-target');
      var targets = (a.targets && a.targets.length) ? a.targets : [a.target];
      targets.forEach(function (t) {
        var o = el('option', null, t);
        o.value = t;
        if (t === (a.defaultTarget || a.target)) { o.selected = true; }
        select.appendChild(o);
      });
      d.appendChild(select);
      var buttons = el('div', 'dialog-buttons');
      function answer(allow) {
        Qair.api.post('/api/asks/' + encodeURIComponent(a.id), { allow: allow, target: select.value })
          .then(function (r) { Qair.notices.info(r.summary || (allow ? 'Allowed' : 'Denied')); })
          .catch(function (e) { Qair.notices.error('Answer failed: ' + e.message); });
        done();
      }
      buttons.appendChild(button('Deny', 'ask-deny', function () { answer(false); }));
      buttons.appendChild(button('Allow', 'ask-allow', function () { answer(true); }));
      d.appendChild(buttons);
    });
  }

  /** The gateway asks whether to paste N characters from source into target. */
  function paste(token, source, target, n, reply) {
    show('paste:' + token, function (d, done) {
      d.classList.add('paste-dialog');
      d.appendChild(el('h2', null, 'Paste?'));
      d.appendChild(el('p', null, 'Paste ' + n + ' characters copied from ' + source + ' into ' + target + '?'));
      var buttons = el('div', 'dialog-buttons');
      buttons.appendChild(button('Deny', 'paste-deny', function () { reply(false); done(); }));
      buttons.appendChild(button('Allow', 'paste-allow', function () { reply(true); done(); }));
      d.appendChild(buttons);
    });
  }

  return {
    ask: ask,
    paste: paste,
    close: close,
    isOpen: function () { return queue.length > 0; },
    shown: function (key) { return !!open[key]; }
  };
})();
