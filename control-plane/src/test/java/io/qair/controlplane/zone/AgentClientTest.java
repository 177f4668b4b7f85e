package io.qair.controlplane.zone;

import static io.qair.controlplane.zone.TestAgents.address;
import static io.qair.controlplane.zone.TestAgents.await;
import static io.qair.controlplane.zone.TestAgents.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.agent.AgentMain;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master's agent client against a real enrolled agent over mutual TLS. */
class AgentClientTest {
  @TempDir Path tmp;
  Vertx vertx;
  MasterPki pki;
  InMemoryLedger ledger;
  TestAgents agents;
  AgentMain.Running agent;
  String serial;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    pki = MasterPki.loadOrCreate(tmp.resolve("master"));
    ledger = new InMemoryLedger();
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, java.time.Clock.systemUTC());
    agents = new TestAgents(tmp.resolve("agents"));
    agent = agents.start("a", "work", tokens.issue("work"), pki.caCertPem(), 0);
    serial = await(new Enroller(vertx, pki, tokens).enroll("work", address(agent), s -> Future.succeededFuture()))
        .certSerial();
  }

  @AfterEach
  void tearDown() {
    agents.close();
    vertx.close();
  }

  AgentClient client() {
    return AgentClient.create(vertx, pki, ledger, "work", address(agent), serial);
  }

  static QubeSpec spec(String name, String template) {
    return new QubeSpec(name, "AppVM", template, "red", 400, 1, null, Map.of());
  }

  @Test
  void aRevokedAgentCertificateIsRefused() throws Exception {
    try (AgentClient c = client()) {
      assertThat(await(c.info()).zone()).isEqualTo("work");
    }
    ledger.revokeCert(serial, "work");
    try (AgentClient c = client()) {
      QairException e = failure(c.info());
      assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
      assertThat(e.getMessage()).startsWith("zone work is not reachable").contains("revoked");
    }
  }

  @Test
  void anotherSerialThanThePinnedOneIsRefused() {
    try (AgentClient c = AgentClient.create(vertx, pki, ledger, "work", address(agent), "1234")) {
      assertThat(failure(c.info()).getMessage()).contains("not the one enrolled");
    }
  }

  @Test
  void theAgentOfAnotherZoneIsRefused() {
    try (AgentClient c = AgentClient.create(vertx, pki, ledger, "personal", address(agent), serial)) {
      assertThat(failure(c.qubes()).getMessage()).contains("not zone personal");
    }
  }

  @Test
  void aCertificateThatDoesNotNameTheDialedHostIsRefused() throws Exception {
    var keys = io.qair.protocol.pki.EcCurve.P256.generate();
    var cert = pki.ca().issue(keys.getPublic(), "work", List.of(io.qair.protocol.pki.SubjectAltName.ip("10.0.0.1")));
    String s = io.qair.protocol.pki.Certificates.serial(cert);
    var chain = new java.security.cert.X509Certificate[] {cert};
    new PinnedAgentTrustManager(pki.caTrustManager(), "work", s, "10.0.0.1", ledger).checkServerTrusted(chain, "ECDHE_ECDSA");
    assertThatThrownBy(() -> new PinnedAgentTrustManager(pki.caTrustManager(), "work", s, "127.0.0.1", ledger)
        .checkServerTrusted(chain, "ECDHE_ECDSA"))
        .isInstanceOf(java.security.cert.CertificateException.class).hasMessageContaining("does not name");
  }

  @Test
  void anUnreachableZoneIsUnavailable() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (AgentClient c = AgentClient.create(vertx, pki, ledger, "work", "127.0.0.1:" + port, serial)) {
      QairException e = failure(c.info());
      assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
      assertThat(e.getMessage()).startsWith("zone work is not reachable: ");
    }
  }

  @Test
  void agentErrorsComeBackAsTheirKind() throws Exception {
    try (AgentClient c = client()) {
      assertThat(await(c.start(spec("mail", "debian-12"))).state()).isEqualTo("RUNNING");
      QairException twice = failure(c.start(spec("mail", "debian-12")));
      assertThat(twice.kind()).isEqualTo(ErrorKind.CONFLICT);
      assertThat(twice.getMessage()).contains("already running");
      assertThat(failure(c.start(spec("broken1", "broken"))).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
      assertThat(failure(c.remove("mail")).kind()).isEqualTo(ErrorKind.CONFLICT);
      assertThat(await(c.shutdown("mail", true)).state()).isEqualTo("HALTED");
      await(c.remove("mail"));
      assertThat(await(c.qubes())).isEmpty();
    }
  }

  @Test
  void execRelaysFrames() throws Exception {
    try (AgentClient c = client()) {
      await(c.start(spec("mail", "debian-12")));
      WebSocket ws = await(c.exec("mail", new ExecRequest(List.of("cat", "7"), Map.of())));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      FrameDecoder dec = new FrameDecoder();
      ws.binaryMessageHandler(b -> dec.feed(b.getBytes()).forEach(f -> {
        if (f.type() == FrameType.STDOUT) {
          out.writeBytes(f.payload());
        } else if (f.type() == FrameType.EXIT) {
          exit.complete(f.exitCode());
        }
      }));
      ws.resume();
      ws.writeBinaryMessage(Buffer.buffer(new Frame(FrameType.STDIN, "ping".getBytes()).encode()));
      ws.writeBinaryMessage(Buffer.buffer(Frame.eof(FrameType.STDIN).encode()));
      assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(7);
      assertThat(out.toString()).isEqualTo("ping");
    }
  }

  @Test
  void execInAQubeThatIsNotRunningEndsWithAnErrorFrame() throws Exception {
    try (AgentClient c = client()) {
      WebSocket ws = await(c.exec("ghost", new ExecRequest(List.of("true"), Map.of())));
      CompletableFuture<String> error = new CompletableFuture<>();
      FrameDecoder dec = new FrameDecoder();
      ws.binaryMessageHandler(b -> dec.feed(b.getBytes()).stream()
          .filter(f -> f.type() == FrameType.ERROR).forEach(f -> error.complete(f.text())));
      ws.resume();
      assertThat(error.get(10, TimeUnit.SECONDS)).contains("not running");
    }
  }

  @Test
  void aClosedSubscriptionDoesNotReconnect() throws Exception {
    LinkedBlockingQueue<Boolean> connected = new LinkedBlockingQueue<>();
    int port = agent.server().port();
    try (AgentClient c = client()) {
      AgentClient.Subscription sub = c.events(s -> { }, () -> connected.add(true));
      assertThat(connected.poll(10, TimeUnit.SECONDS)).isTrue();
      sub.close();
      agent.stop();
      agent = agents.start("a", "work", null, pki.caCertPem(), port);
      assertThat(connected.poll(3, TimeUnit.SECONDS)).as("no reconnection after close").isNull();
    }
  }

  @Test
  void eventsFollowTheAgentAcrossARestart() throws Exception {
    LinkedBlockingQueue<QubeStatus> seen = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Boolean> connected = new LinkedBlockingQueue<>();
    int port = agent.server().port();
    try (AgentClient c = client()) {
      AgentClient.Subscription sub = c.events(seen::add, () -> connected.add(true));
      assertThat(connected.poll(10, TimeUnit.SECONDS)).isTrue();
      await(c.start(spec("mail", "debian-12")));
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(new QubeStatus("mail", "RUNNING", null));

      agent.stop();
      agent = agents.start("a", "work", null, pki.caCertPem(), port);
      assertThat(connected.poll(20, TimeUnit.SECONDS)).as("reconnected").isTrue();
      await(c.start(spec("web", "debian-12")));
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(new QubeStatus("web", "RUNNING", null));
      sub.close();
    }
  }
}
