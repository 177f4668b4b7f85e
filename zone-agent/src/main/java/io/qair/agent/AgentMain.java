package io.qair.agent;

import io.qair.agent.server.AgentIdentity;
import io.qair.agent.server.AgentServer;
import io.qair.agent.spi.BackendConfig;
import io.qair.agent.spi.IsolationBackend;
import io.qair.agent.spi.IsolationBackends;
import io.qair.protocol.QairException;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.SecureFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a zone agent: checks the master CA against its pinned fingerprint, loads (or makes) the
 * agent's key, starts the isolation backend and re-adopts running qubes, then serves the agent API.
 * See {@link AgentConfig} for the command line.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);
  /** The master CA as this agent was first given it; later starts must match it. */
  public static final String CA_FILE = "master-ca.pem";

  /** A running agent: its server, backend and Vert.x instance. */
  public record Running(Vertx vertx, AgentServer server, IsolationBackend backend) {
    public void stop() {
      try {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("closing the agent server: {}", e.toString());
      }
      backend.close();
      vertx.close();
    }
  }

  private AgentMain() {}

  public static void main(String[] args) {
    AgentConfig config;
    try {
      config = AgentConfig.parse(args);
    } catch (QairException e) {
      System.err.println(e.getMessage());
      System.exit(e.kind().exitCode());
      return;
    }
    try {
      Running running = start(config, IsolationBackends.select(config.backend()));
      Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "qair-agent-shutdown"));
    } catch (QairException e) {
      LOG.error("zone agent cannot start: {}", e.getMessage());
      System.err.println("zone agent cannot start: " + e.getMessage());
      System.exit(e.kind().exitCode());
    } catch (RuntimeException e) {
      LOG.error("zone agent cannot start", e);
      System.exit(1);
    }
  }

  /** Starts an agent with the given backend (tests pass a fake one); blocks until it listens. */
  public static Running start(AgentConfig config, IsolationBackend backend) {
    SecureFiles.ownerOnlyDir(config.dataDir());
    X509Certificate ca = masterCa(config);
    AgentIdentity identity = AgentIdentity.loadOrCreate(config.dataDir(), config.zone(), ca);
    backend.init(new BackendConfig(config.dataDir(), config.templatesDir(), config.guestBinary(), config.zone()));
    backend.recover();
    Vertx vertx = Vertx.vertx();
    String version = AgentMain.class.getPackage().getImplementationVersion();
    try {
      Future<AgentServer> f = AgentServer.start(vertx, identity, backend, new AgentServer.Settings(
          config.listenHost(), config.listenPort(), config.tokenFile(),
          config.dataDir().resolve(AgentServer.PORT_FILE), version == null ? "dev" : version));
      AgentServer server = f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new Running(vertx, server, backend);
    } catch (Exception e) {
      vertx.close();
      backend.close();
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      if (cause instanceof QairException q) {
        throw q;
      }
      throw QairException.unavailable("cannot listen on " + config.listenHost() + ":" + config.listenPort()
          + ": " + cause.getMessage(), cause);
    }
  }

  /**
   * The master CA: from {@code --ca-cert} at first start (checked against {@code --ca-fingerprint}),
   * from the data dir after. A different CA later is refused: an agent serves one master.
   */
  static X509Certificate masterCa(AgentConfig config) {
    Path kept = config.dataDir().resolve(CA_FILE);
    X509Certificate given = config.caCert() == null ? null : Pem.readCertificate(SecureFiles.read(config.caCert()));
    X509Certificate stored = Files.exists(kept) ? Pem.readCertificate(SecureFiles.read(kept)) : null;
    if (given == null && stored == null) {
      throw QairException.badRequest("no master CA certificate: pass --ca-cert FILE");
    }
    if (given != null && stored != null && !given.equals(stored)) {
      throw QairException.conflict("--ca-cert is not the master CA this agent was provisioned with"
          + " (" + Certificates.fingerprint(stored) + ")");
    }
    X509Certificate ca = given != null ? given : stored;
    if (config.caFingerprint() != null && !Certificates.fingerprintMatches(ca, config.caFingerprint())) {
      throw QairException.denied("the master CA certificate does not match --ca-fingerprint: refusing to start");
    }
    if (ca.getBasicConstraints() < 0) {
      throw QairException.badRequest("the master CA certificate is not a CA certificate");
    }
    if (stored == null) {
      SecureFiles.writePrivate(kept, Pem.write((Object) ca));
    }
    return ca;
  }
}
