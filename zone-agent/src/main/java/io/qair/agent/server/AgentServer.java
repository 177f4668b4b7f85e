package io.qair.agent.server;

import io.qair.agent.display.DisplayHub;
import io.qair.agent.qrexec.MasterLink;
import io.qair.agent.qrexec.QrexecDaemon;
import io.qair.agent.qrexec.RelayedCalls;
import io.qair.agent.spi.IsolationBackend;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.QrexecMessage;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.SecureFiles;
import io.qair.protocol.qrexec.Frame;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zone agent's HTTPS server (agent API of docs/dev/contracts.md). Every connection must present
 * a client certificate issued by the master CA. Before enrollment it serves a self-signed
 * certificate and answers only the enrollment calls; after, it serves the master-issued
 * certificate and answers everything but those.
 */
public final class AgentServer {
  private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
  /** Largest JSON body accepted (a QubeSpec or an enrollment message is far smaller). */
  public static final int MAX_BODY = 64 * 1024;
  /** The file the agent writes its listening port to, in its data directory. */
  public static final String PORT_FILE = "agent.port";
  private static final Set<String> TLS_VERSIONS = Set.of("TLSv1.3", "TLSv1.2");

  /**
   * @param host address to listen on
   * @param port port, 0 for any free one
   * @param tokenFile the enrollment token (deleted once enrolled); may be null when enrolled
   * @param portFile where to write the actual port once listening; may be null
   */
  public record Settings(String host, int port, Path tokenFile, Path portFile, String version) {}

  private final Vertx vertx;
  private final AgentIdentity identity;
  private final IsolationBackend backend;
  private final EventHub events = new EventHub();
  private final MasterLink qrexec = new MasterLink();
  private final ExecutorService execPool;
  private final DisplayHub displays;
  private final RelayedCalls relayed;
  private HttpServer server;

  private AgentServer(Vertx vertx, AgentIdentity identity, IsolationBackend backend) {
    this.vertx = vertx;
    this.identity = identity;
    this.backend = backend;
    this.displays = DisplayHub.create(backend);
    AtomicInteger n = new AtomicInteger();
    this.execPool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "qair-exec-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.relayed = new RelayedCalls(execPool);
  }

  /** Starts listening; the future completes once the port is bound (and written to the port file). */
  public static Future<AgentServer> start(Vertx vertx, AgentIdentity identity, IsolationBackend backend,
      Settings settings) {
    AgentServer s = new AgentServer(vertx, identity, backend);
    return s.listen(settings).map(s);
  }

  private Future<Void> listen(Settings settings) {
    backend.onStateChange(events::publish);
    backend.onCall(new QrexecDaemon(backend, qrexec, relayed));
    displays.adoptRunning();
    Router router = router(settings);
    HttpServerOptions opts = new HttpServerOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(KeyCertOptions.wrap(identity.keyManager()))
        .setTrustOptions(TrustOptions.wrap(identity.trustManager()))
        .setEnabledSecureTransportProtocols(TLS_VERSIONS)
        .setSslHandshakeTimeout(15)
        .setMaxHeaderSize(16 * 1024)
        .setMaxWebSocketFrameSize(Frame.HEADER + Frame.MAX_PAYLOAD)
        .setMaxWebSocketMessageSize(4 * (Frame.HEADER + Frame.MAX_PAYLOAD))
        .setWebSocketSubProtocols(java.util.List.of("guacamole"))
        .setIdleTimeout(0);
    server = vertx.createHttpServer(opts).requestHandler(router)
        // refused TLS clients (no certificate, wrong CA) and dropped connections: one line, no trace
        .exceptionHandler(e -> LOG.info("connection refused or dropped: {}", e.getMessage()));
    return server.listen().compose(srv -> {
      LOG.info("zone agent for {} listening on {}:{} ({})", identity.zone(), settings.host(), srv.actualPort(),
          identity.enrolled() ? "enrolled" : "waiting for enrollment");
      if (settings.portFile() == null) {
        return Future.succeededFuture();
      }
      return vertx.executeBlocking(() -> {
        SecureFiles.writePrivate(settings.portFile(), Integer.toString(srv.actualPort()) + "\n");
        return null;
      }, false).mapEmpty();
    });
  }

  private Router router(Settings settings) {
    Router r = Router.router(vertx);
    QubeRoutes qubes = new QubeRoutes(vertx, backend, identity.zone(), settings.version(), events, execPool);
    EnrollmentRoutes enroll = new EnrollmentRoutes(vertx, identity, settings.tokenFile(), this::switchToIssued);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);

    r.route("/v1/enroll*").handler(ctx -> {
      if (identity.enrolled()) {
        ctx.fail(QairException.notFound("enrollment is closed: this agent is enrolled"));
      } else {
        ctx.next();
      }
    });
    r.post("/v1/enroll").handler(body).handler(enroll::enroll);
    r.post("/v1/enroll/complete").handler(body).handler(enroll::complete);

    r.route("/v1/*").handler(this::requireEnrolled);
    r.get("/v1/info").handler(qubes::info);
    r.get("/v1/qubes").handler(qubes::list);
    r.post("/v1/qubes/:qube/start").handler(body).handler(qubes::start);
    r.post("/v1/qubes/:qube/shutdown").handler(body).handler(qubes::shutdown);
    r.delete("/v1/qubes/:qube").handler(qubes::remove);
    r.get("/v1/qubes/:qube/exec").handler(qubes::exec);
    r.get("/v1/qubes/:qube/apps").handler(qubes::apps);
    r.get("/v1/events").handler(qubes::events);
    r.get("/v1/qrexec").handler(this::qrexecLink);
    r.get("/v1/qubes/:qube/display").handler(new DisplayRoute(vertx, displays)::handle);
    r.get("/v1/qrexec/calls/:id").handler(this::qrexecCall);

    r.route().failureHandler(ErrorHandler::handle);
    r.errorHandler(404, ErrorHandler::handle);
    r.errorHandler(405, ErrorHandler::handle);
    r.errorHandler(413, ErrorHandler::handle);
    return r;
  }

  /** Only the master decides qrexec calls: a gateway's certificate (same CA) may not take the link. */
  private void qrexecLink(RoutingContext ctx) {
    if (!fromMaster(ctx)) {
      ctx.fail(QairException.denied("only the master may decide qrexec calls"));
      return;
    }
    ctx.request().toWebSocket()
        .onSuccess(qrexec::attach)
        .onFailure(e -> ctx.fail(QairException.badRequest("qrexec needs a WebSocket upgrade")));
  }

  /** The data of a call relayed to another zone: only the master, only for a call that expects it. */
  private void qrexecCall(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!fromMaster(ctx)) {
      ctx.fail(QairException.denied("only the master may relay qrexec calls"));
      return;
    }
    if (!QrexecMessage.validId(id) || !relayed.expects(id)) {
      ctx.fail(QairException.notFound("no qrexec call " + Names.printable(id) + " is waiting for its data"));
      return;
    }
    io.vertx.core.Context context = vertx.getOrCreateContext();
    ctx.request().toWebSocket()
        .onSuccess(ws -> relayed.attach(id, ws, context))
        .onFailure(e -> ctx.fail(QairException.badRequest("a qrexec call needs a WebSocket upgrade")));
  }

  private static boolean fromMaster(RoutingContext ctx) {
    try {
      return Certificates.MASTER_CN.equals(Certificates.commonName((java.security.cert.X509Certificate)
          ctx.request().connection().peerCertificates().get(0)));
    } catch (Exception e) {
      return false;
    }
  }

  private void requireEnrolled(RoutingContext ctx) {
    if (identity.enrolled()) {
      ctx.next();
    } else {
      ctx.fail(QairException.conflict("this zone agent is not enrolled yet: only /v1/enroll answers"));
    }
  }

  /** Serves the master-issued certificate from now on (new connections). */
  private Future<Void> switchToIssued() {
    ServerSSLOptions ssl = new ServerSSLOptions()
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(KeyCertOptions.wrap(identity.keyManager()))
        .setTrustOptions(TrustOptions.wrap(identity.trustManager()))
        .setEnabledSecureTransportProtocols(TLS_VERSIONS);
    return server.updateSSLOptions(ssl, true).compose(updated -> updated
        ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("the TLS certificate could not be switched")));
  }

  public int port() {
    return server.actualPort();
  }

  public AgentIdentity identity() {
    return identity;
  }

  /** Number of connected {@code /v1/events} subscribers (for tests and diagnostics). */
  int eventSubscribers() {
    return events.size();
  }

  public Future<Void> close() {
    events.closeAll();
    qrexec.close();
    displays.close();
    execPool.shutdownNow();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
