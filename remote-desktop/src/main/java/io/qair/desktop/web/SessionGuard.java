package io.qair.desktop.web;

import io.qair.desktop.auth.Session;
import io.qair.desktop.auth.SessionStore;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Who may go on. Pages without a session are sent to the login page (302); API calls without one
 * get 401. A state-changing API call (anything but GET and HEAD) also needs the gateway's own
 * Origin and the session's CSRF token in {@value #CSRF_HEADER}, else 403.
 */
final class SessionGuard {
  static final String CSRF_HEADER = "X-Qair-Csrf";
  static final String SESSION_KEY = "qair.session";

  private final SessionStore sessions;
  private final Origins origins;

  SessionGuard(SessionStore sessions, Origins origins) {
    this.sessions = sessions;
    this.origins = origins;
  }

  static Session session(RoutingContext ctx) {
    return ctx.get(SESSION_KEY);
  }

  /** @param open paths anyone may GET (the login page) */
  Handler<RoutingContext> page(java.util.Set<String> open) {
    return ctx -> {
      if (open.contains(ctx.normalizedPath()) && ctx.request().method() == HttpMethod.GET) {
        ctx.next();
        return;
      }
      Optional<Session> s = sessions.find(Cookies.session(ctx));
      if (s.isEmpty()) {
        ctx.response().setStatusCode(302).putHeader("Location", "/login.html").end();
        return;
      }
      ctx.put(SESSION_KEY, s.get());
      ctx.next();
    };
  }

  /** @param touch whether the request counts as user activity (event streams do not) */
  Handler<RoutingContext> api(boolean touch) {
    return ctx -> {
      String id = Cookies.session(ctx);
      Optional<Session> s = touch ? sessions.find(id) : sessions.peek(id);
      if (s.isEmpty()) {
        ctx.fail(new QairException(ErrorKind.UNAUTHENTICATED, "not logged in, or the session ended: log in again"));
        return;
      }
      HttpMethod m = ctx.request().method();
      if (m != HttpMethod.GET && m != HttpMethod.HEAD) {
        if (!origins.originAllowed(ctx.request().getHeader("Origin"))) {
          ctx.fail(QairException.denied("this request must come from the desktop page itself (Origin)"));
          return;
        }
        if (!SessionStore.sameToken(s.get().csrfToken(), ctx.request().getHeader(CSRF_HEADER))) {
          ctx.fail(QairException.denied("missing or wrong CSRF token: reload the desktop page"));
          return;
        }
      }
      ctx.put(SESSION_KEY, s.get());
      ctx.next();
    };
  }
}
