package io.qair.desktop.web;

import io.qair.desktop.auth.LoginThrottle;
import io.qair.desktop.auth.PasswordStore;
import io.qair.desktop.auth.SessionStore;
import io.qair.desktop.master.AppLauncher;
import io.qair.desktop.master.MasterClient;
import io.qair.desktop.master.MasterEvents;
import io.qair.desktop.tunnel.AgentConnector;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Every route of the gateway, in the order they are checked: Host and security headers; the
 * public login page and {@code POST /login}; the display tunnel; the API behind the session
 * guard (CSRF on writes); the desktop page and its scripts behind the session guard.
 */
public final class DesktopRoutes {
  /** Where the page's files are on the class path (guacamole-common-js is unpacked under it at build time). */
  public static final String WEBROOT = "io/qair/desktop/webroot";
  static final int API_BODY_LIMIT = 64 * 1024;
  /** What the login page needs; everything else of the page is behind the login. */
  static final java.util.Set<String> PUBLIC = java.util.Set.of("/login.html", "/login.js", "/desktop.css");

  private DesktopRoutes() {}

  public static Router router(Vertx vertx, Origins origins, SessionStore sessions, LoginThrottle throttle,
      PasswordStore passwords, MasterClient master, MasterEvents events, AgentConnector connector,
      AppLauncher launcher) {
    Router router = Router.router(vertx);
    SessionGuard guard = new SessionGuard(sessions, origins);
    LoginHandler login = new LoginHandler(vertx, passwords, throttle, sessions, origins);
    ErrorHandler errors = new ErrorHandler();
    StaticHandler files = StaticHandler.create(WEBROOT).setCachingEnabled(false).setDirectoryListing(false)
        .setIndexPage("index.html").setIncludeHidden(false);

    router.route().handler(new SecurityHeaders(origins));
    router.post("/login").handler(BodyHandler.create().setBodyLimit(4096)).handler(login::login);
    router.get("/tunnel").handler(new TunnelEndpoint(vertx, sessions, origins, master, connector)::handle);

    router.get("/api/events").handler(guard.api(false)).handler(new EventStream(vertx, events)::handle);
    router.route("/api/*").handler(BodyHandler.create().setBodyLimit(API_BODY_LIMIT)).handler(guard.api(true));
    router.post("/logout").handler(BodyHandler.create().setBodyLimit(1024)).handler(guard.api(true))
        .handler(login::logout);
    new DesktopApi(master, launcher).mount(router);
    router.route("/api/*").handler(ctx -> ctx.fail(404));

    router.route().handler(guard.page(PUBLIC)).handler(files);
    router.route().failureHandler(errors);
    return router;
  }
}
