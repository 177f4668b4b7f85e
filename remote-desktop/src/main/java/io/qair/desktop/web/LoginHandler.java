package io.qair.desktop.web;

import io.qair.desktop.auth.LoginThrottle;
import io.qair.desktop.auth.PasswordStore;
import io.qair.desktop.auth.Session;
import io.qair.desktop.auth.SessionStore;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /login} ({@code {"password": "..."}}) and {@code POST /logout}. Login needs the
 * gateway's own Origin (no login CSRF), goes through the {@link LoginThrottle} (429 with
 * Retry-After while locked), checks the password off the event loop, and answers the new
 * session's CSRF token with the session cookie.
 */
final class LoginHandler {
  static final int MAX_PASSWORD = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(LoginHandler.class);

  private final Vertx vertx;
  private final PasswordStore passwords;
  private final LoginThrottle throttle;
  private final SessionStore sessions;
  private final Origins origins;

  LoginHandler(Vertx vertx, PasswordStore passwords, LoginThrottle throttle, SessionStore sessions, Origins origins) {
    this.vertx = vertx;
    this.passwords = passwords;
    this.throttle = throttle;
    this.sessions = sessions;
    this.origins = origins;
  }

  void login(RoutingContext ctx) {
    if (!origins.originAllowed(ctx.request().getHeader("Origin"))) {
      ctx.fail(QairException.denied("log in from the desktop's own login page (Origin)"));
      return;
    }
    String password;
    try {
      JsonObject body = ctx.body().asJsonObject();
      password = body == null ? null : body.getValue("password") instanceof String p ? p : null;
    } catch (RuntimeException e) {
      password = null;
    }
    if (password == null || password.length() > MAX_PASSWORD) {
      ctx.fail(QairException.badRequest("send {\"password\": \"...\"} as JSON"));
      return;
    }
    Duration wait = throttle.tryAcquire();
    if (!wait.isZero()) {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      ctx.response().putHeader("Retry-After", Long.toString(seconds));
      ctx.fail(new ThrottledException("too many failed logins: wait " + seconds + " s and try again"));
      return;
    }
    String attempt = password;
    vertx.executeBlocking(() -> passwords.check(attempt), false).onComplete(ar -> {
      boolean ok = ar.succeeded() && ar.result();
      throttle.done(ok);
      if (!ok) {
        LOG.warn("failed login from {} ({} in a row)", ctx.request().remoteAddress(), throttle.failures());
        ctx.fail(new QairException(ErrorKind.UNAUTHENTICATED, "wrong password"));
        return;
      }
      Session s = sessions.create();
      Cookies.set(ctx, s.id());
      ctx.json(new JsonObject().put("csrf", s.csrfToken()));
    });
  }

  void logout(RoutingContext ctx) {
    Session s = SessionGuard.session(ctx);
    sessions.end(s.id());
    Cookies.clear(ctx);
    ctx.response().setStatusCode(204).end();
  }

  /** 429: the throttle is closed. */
  static final class ThrottledException extends QairException {
    private static final long serialVersionUID = 1L;

    ThrottledException(String message) {
      super(ErrorKind.UNAVAILABLE, message);
    }
  }
}
