package io.qair.desktop.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * First on every request: refuses a Host that is not the gateway's (421), and sets the headers
 * that keep the page to itself: a strict Content-Security-Policy (own scripts and styles only;
 * images from blob:/data: as guacamole-common-js draws them), no framing, no sniffing, no
 * referrer, no caching.
 */
final class SecurityHeaders implements Handler<RoutingContext> {
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
      + "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private final Origins origins;

  SecurityHeaders(Origins origins) {
    this.origins = origins;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse r = ctx.response();
    if (!origins.hostAllowed(ctx.request().getHeader("Host"))) {
      r.setStatusCode(421).putHeader("Content-Type", "text/plain")
          .end("This gateway answers only as " + origins.primary() + "\n");
      return;
    }
    r.putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin")
        .putHeader("Cache-Control", "no-store");
    ctx.next();
  }
}
