'use strict';
// The login form: POST /login as JSON; the gateway sets the session cookie and the page goes to the desktop.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('login');
  var message = document.getElementById('login-message');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    message.textContent = '';
    var password = document.getElementById('password').value;
    fetch('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ password: password })
    }).then(function (resp) {
      if (resp.ok) {
        window.location.replace('/');
        return null;
      }
      return resp.json().catch(function () { return { message: 'HTTP ' + resp.status }; }).then(function (body) {
        message.textContent = body.message || ('HTTP ' + resp.status);
      });
    }).catch(function (err) {
      message.textContent = 'The gateway cannot be reached: ' + err.message;
    });
  });
});
