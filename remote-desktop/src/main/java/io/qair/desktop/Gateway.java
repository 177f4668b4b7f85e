package io.qair.desktop;

import io.qair.desktop.auth.LoginThrottle;
import io.qair.desktop.auth.PasswordStore;
import io.qair.desktop.auth.SessionStore;
import io.qair.desktop.master.AppLauncher;
import io.qair.desktop.master.MasterClient;
import io.qair.desktop.master.MasterConfig;
import io.qair.desktop.master.MasterEvents;
import io.qair.desktop.tunnel.AgentConnector;
import io.qair.desktop.tunnel.TunnelLimits;
import io.qair.desktop.web.DesktopRoutes;
import io.qair.desktop.web.Origins;
import io.qair.protocol.pki.SecureFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote-desktop gateway: HTTPS on {@link GatewayOptions#host()}, the login, the desktop
 * page and its API, and one Guacamole tunnel per qube display toward the zone agents. Start it
 * with {@link #start}; {@link #close} ends every session and connection.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final HttpServer server;
  private final Origins origins;
  private final SessionStore sessions;
  private final MasterClient master;
  private final MasterEvents events;
  private final AgentConnector connector;
  private final AppLauncher launcher;
  private final long sweepTimer;
  private final Path dataDir;

  private Gateway(Vertx vertx, HttpServer server, Origins origins, SessionStore sessions, MasterClient master,
      MasterEvents events, AgentConnector connector, AppLauncher launcher, long sweepTimer, Path dataDir) {
    this.vertx = vertx;
    this.server = server;
    this.origins = origins;
    this.sessions = sessions;
    this.master = master;
    this.events = events;
    this.connector = connector;
    this.launcher = launcher;
    this.sweepTimer = sweepTimer;
    this.dataDir = dataDir;
  }

  private record Material(PasswordStore passwords, javax.net.ssl.X509ExtendedKeyManager tls, MasterConfig master,
      String clientCert, String clientKey) {}

  public static Future<Gateway> start(Vertx vertx, GatewayOptions o) {
    Origins origins = new Origins(o.origins());
    return vertx.executeBlocking(() -> {
      SecureFiles.ownerOnlyDir(o.dataDir());
      return new Material(PasswordStore.loadOrCreate(o.dataDir()),
          GatewayTls.loadOrCreate(o.dataDir(), o.origins().stream().map(java.net.URI::getHost).toList()),
          MasterConfig.load(o.master(), o.masterCa(), o.tokenFile()),
          SecureFiles.read(o.clientCert()), SecureFiles.read(o.clientKey()));
    }, false).compose(m -> {
      MasterClient master = MasterClient.create(vertx, m.master());
      MasterEvents events = MasterEvents.start(vertx, m.master());
      AgentConnector connector = AgentConnector.create(vertx, master, m.clientCert(), m.clientKey());
      AppLauncher launcher = AppLauncher.create(vertx, m.master());
      SessionStore sessions = new SessionStore(o.clock(), o.idle());
      LoginThrottle throttle = new LoginThrottle(o.clock());
      HttpServer server = vertx.createHttpServer(new HttpServerOptions()
          .setSsl(true)
          .setKeyCertOptions(KeyCertOptions.wrap(m.tls()))
          .setHost(o.host())
          .setPort(o.port())
          .setWebSocketSubProtocols(List.of("guacamole"))
          .setMaxWebSocketMessageSize(TunnelLimits.BROWSER_MESSAGE)
          .setMaxWebSocketFrameSize(TunnelLimits.BROWSER_MESSAGE)
          .setIdleTimeout(0));
      server.requestHandler(DesktopRoutes.router(vertx, origins, sessions, throttle, m.passwords(), master, events,
          connector, launcher));
      return server.listen().map(s -> {
        origins.bind(s.actualPort());
        long sweep = vertx.setPeriodic(60_000, t -> sessions.sweep());
        LOG.info("desktop gateway listening on https://{}:{}/", o.host(), s.actualPort());
        return new Gateway(vertx, s, origins, sessions, master, events, connector, launcher, sweep, o.dataDir());
      }).onFailure(e -> {
        events.close();
        master.close();
        connector.close();
        launcher.close();
      });
    });
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code https://localhost:PORT/}. */
  public String url() {
    return origins.primary() + "/";
  }

  /** Where the first-login password was written. */
  public Path firstLoginPasswordFile() {
    return dataDir.resolve(PasswordStore.FIRST_LOGIN_FILE);
  }

  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    sessions.endAll();
    events.close();
    return server.shutdown(Duration.ofSeconds(2)).eventually(() -> {
      connector.close();
      launcher.close();
      master.close();
      return Future.succeededFuture();
    });
  }
}
