'use strict';
// The gateway's JSON API. Writes carry the session's CSRF token; a 401 sends the user to log in.
var Qair = window.Qair || {};
window.Qair = Qair;

Qair.api = (function () {
  var csrf = null;

  function handle(resp) {
    if (resp.status === 401) {
      window.location.replace('/login.html');
      return Promise.reject(new Error('not logged in'));
    }
    return resp.json().catch(function () { return {}; }).then(function (body) {
      if (!resp.ok) {
        throw new Error(body.message || ('HTTP ' + resp.status));
      }
      return body;
    });
  }

  return {
    init: function () {
      return fetch('/api/session', { credentials: 'same-origin' }).then(handle).then(function (s) {
        csrf = s.csrf;
      });
    },
    get: function (path) {
      return fetch(path, { credentials: 'same-origin' }).then(handle);
    },
    post: function (path, body) {
      return fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-Qair-Csrf': csrf },
        body: JSON.stringify(body || {})
      }).then(handle);
    },
    logout: function () {
      return fetch('/logout', {
        method: 'POST', credentials: 'same-origin', headers: { 'X-Qair-Csrf': csrf }
      }).finally(function () { window.location.replace('/login.html'); });
    }
  };
})();
