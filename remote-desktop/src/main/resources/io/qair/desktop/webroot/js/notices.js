'use strict';
// Notifications in the panel: the newest few, each for a while. Text only (textContent).
Qair.notices = (function () {
  var MAX = 3;
  var SHOW_MS = 12000;

  function show(text, level) {
    var box = document.getElementById('notices');
    var n = document.createElement('span');
    n.className = 'notice' + (level === 'error' ? ' notice-error' : '');
    n.textContent = text;
    box.insertBefore(n, box.firstChild);
    while (box.childNodes.length > MAX) {
      box.removeChild(box.lastChild);
    }
    window.setTimeout(function () {
      if (n.parentNode) {
        n.parentNode.removeChild(n);
      }
    }, SHOW_MS);
  }

  return {
    info: function (text) { show(text, 'info'); },
    error: function (text) { show(text, 'error'); }
  };
})();
