package io.qair.desktop.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The session cookie: {@code __Host-} prefixed (the browser then insists on Secure, Path=/ and
 * no Domain), HttpOnly, SameSite=Strict, no expiry (it dies with the browser; the server ends
 * idle sessions on its own).
 */
final class Cookies {
  static final String SESSION = "__Host-qair-session";

  private Cookies() {}

  static String session(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(SESSION);
    return c == null ? null : c.getValue();
  }

  static void set(RoutingContext ctx, String id) {
    ctx.response().addCookie(base(id));
  }

  static void clear(RoutingContext ctx) {
    ctx.response().addCookie(base("").setMaxAge(0));
  }

  private static Cookie base(String value) {
    return Cookie.cookie(SESSION, value).setPath("/").setSecure(true).setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT);
  }
}
