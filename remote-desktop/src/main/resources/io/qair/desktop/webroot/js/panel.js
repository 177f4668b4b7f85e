'use strict';
// The top panel: the qube menu grouped by zone (label colour, state, start/stop, applications), the clock.
Qair.panel = (function () {
  var menu, button;
  var desktop = { zones: [] };
  var openApps = {};  // qube -> true when its application list is expanded

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function render() {
    while (menu.firstChild) { menu.removeChild(menu.firstChild); }
    desktop.zones.forEach(function (zone) {
      var header = el('div', 'zone-header', 'Zone ' + zone.name + (zone.state === 'READY' ? '' : ' (' + zone.state + ')'));
      header.dataset.zone = zone.name;
      menu.appendChild(header);
      zone.qubes.forEach(function (q) { menu.appendChild(qubeEntry(q)); });
    });
    if (desktop.zones.length === 0) {
      menu.appendChild(el('div', 'zone-header', 'No qubes yet: qair qube create NAME --label COLOUR'));
    }
  }

  function qubeEntry(q) {
    var box = el('div', 'qube-entry');
    var row = el('div', 'qube-row');
    row.dataset.qube = q.name;
    var sw = el('span', 'swatch');
    sw.style.backgroundColor = q.color;
    sw.title = q.label;
    row.appendChild(sw);
    row.appendChild(el('span', 'qube-name', q.name));
    row.appendChild(el('span', 'qube-state', q.state.toLowerCase()));
    var running = q.state === 'RUNNING';
    var power = el('button', 'qube-power', running ? 'Stop' : 'Start');
    power.type = 'button';
    power.disabled = !(running || q.state === 'HALTED' || q.state === 'CRASHED');
    power.addEventListener('click', function (e) {
      e.stopPropagation();
      power.disabled = true;
      var action = running ? 'shutdown' : 'start';
      Qair.notices.info((running ? 'Stopping ' : 'Starting ') + q.name);
      Qair.api.post('/api/qubes/' + encodeURIComponent(q.name) + '/' + action, {})
        .then(function () { Qair.desktop.refresh(); })
        .catch(function (err) { Qair.notices.error(q.name + ': ' + err.message); power.disabled = false; });
    });
    row.appendChild(power);
    var apps = el('button', 'qube-apps', openApps[q.name] ? 'Apps \u25be' : 'Apps \u25b8');
    apps.type = 'button';
    row.appendChild(apps);
    box.appendChild(row);
    var list = el('div', 'app-list');
    list.dataset.qube = q.name;
    list.hidden = !openApps[q.name];
    box.appendChild(list);
    if (openApps[q.name]) { loadApps(q, list); }
    apps.addEventListener('click', function (e) {
      e.stopPropagation();
      openApps[q.name] = !openApps[q.name];
      list.hidden = !openApps[q.name];
      apps.textContent = openApps[q.name] ? 'Apps \u25be' : 'Apps \u25b8';
      if (openApps[q.name]) { loadApps(q, list); }
    });
    return box;
  }

  function loadApps(q, list) {
    Qair.api.get('/api/qubes/' + encodeURIComponent(q.name) + '/apps').then(function (r) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      r.apps.forEach(function (a) {
        var b = el('button', 'app', a.name);
        b.type = 'button';
        b.dataset.app = a.id;
        b.addEventListener('click', function (e) {
          e.stopPropagation();
          hide();
          Qair.notices.info('Starting ' + a.name + ' in ' + q.name);
          Qair.api.post('/api/qubes/' + encodeURIComponent(q.name) + '/launch', { app: a.id })
            .catch(function (err) { Qair.notices.error(a.name + ' in ' + q.name + ': ' + err.message); });
        });
        list.appendChild(b);
      });
      if (r.fallback) {
        list.appendChild(el('div', 'qube-state', '(built-in list: this master lists no applications)'));
      }
    }).catch(function (err) { Qair.notices.error('Applications of ' + q.name + ': ' + err.message); });
  }

  function hide() { menu.hidden = true; }

  function tick() {
    var d = new Date();
    document.getElementById('clock').textContent =
      String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  return {
    init: function () {
      menu = document.getElementById('qube-menu');
      button = document.getElementById('qube-menu-button');
      button.addEventListener('click', function (e) {
        e.stopPropagation();
        menu.hidden = !menu.hidden;
      });
      menu.addEventListener('mousedown', function (e) { e.stopPropagation(); });
      document.addEventListener('mousedown', function () { hide(); });
      document.getElementById('logout').addEventListener('click', function () { Qair.api.logout(); });
      tick();
      window.setInterval(tick, 10000);
    },
    update: function (d) {
      desktop = d;
      render();
    }
  };
})();
