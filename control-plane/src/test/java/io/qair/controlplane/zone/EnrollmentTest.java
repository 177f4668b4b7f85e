package io.qair.controlplane.zone;

import static io.qair.controlplane.zone.TestAgents.address;
import static io.qair.controlplane.zone.TestAgents.await;
import static io.qair.controlplane.zone.TestAgents.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.agent.AgentMain;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.EnrollResponse;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.Csr;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.TlsMaterial;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment against real agents over real TLS on loopback, and the ways it must refuse. */
class EnrollmentTest {
  @TempDir Path tmp;
  Vertx vertx;
  MasterPki pki;
  InMemoryLedger ledger;
  MutableClock clock;
  EnrollmentTokens tokens;
  Enroller enroller;
  TestAgents agents;
  List<String> recordedSerials;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    pki = MasterPki.loadOrCreate(tmp.resolve("master"));
    ledger = new InMemoryLedger();
    clock = new MutableClock();
    tokens = new EnrollmentTokens(ledger, clock);
    enroller = new Enroller(vertx, pki, tokens);
    agents = new TestAgents(tmp.resolve("agents"));
    recordedSerials = new ArrayList<>();
  }

  @AfterEach
  void tearDown() {
    agents.close();
    vertx.close();
  }

  Future<Enroller.EnrolledAgent> enroll(String zone, AgentMain.Running agent) {
    return enroller.enroll(zone, address(agent), serial -> {
      recordedSerials.add(serial);
      return Future.succeededFuture();
    });
  }

  @Test
  void enrollsAnAgentThatTheAgentClientThenTrusts() throws Exception {
    AgentMain.Running agent = agents.start("a", "work", tokens.issue("work"), pki.caCertPem(), 0);
    Enroller.EnrolledAgent e = await(enroll("work", agent));

    assertThat(recordedSerials).containsExactly(e.certSerial());
    assertThat(agent.server().identity().enrolled()).isTrue();
    assertThat(Certificates.serial(agent.server().identity().certificate())).isEqualTo(e.certSerial());
    try (AgentClient c = AgentClient.create(vertx, pki, ledger, "work", address(agent), e.certSerial())) {
      assertThat(await(c.info()).zone()).isEqualTo("work");
    }
  }

  @Test
  void aReusedTokenIsRefusedAndNothingIsIssued() throws Exception {
    String token = tokens.issue("work");
    await(enroll("work", agents.start("a", "work", token, pki.caCertPem(), 0)));
    AgentMain.Running second = agents.start("b", "work", token, pki.caCertPem(), 0);

    QairException e = failure(enroll("work", second));
    assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
    assertThat(e.getMessage()).contains("already used");
    assertNothingIssuedTo(second, 1);
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    AgentMain.Running agent = agents.start("a", "work", tokens.issue("work"), pki.caCertPem(), 0);
    clock.advance(EnrollmentTokens.TTL.plusSeconds(1));
    QairException e = failure(enroll("work", agent));
    assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
    assertThat(e.getMessage()).contains("expired");
    assertNothingIssuedTo(agent, 0);
  }

  @Test
  void aForgedTokenIsRefused() throws Exception {
    tokens.issue("work");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    AgentMain.Running agent = agents.start("a", "work", forged, pki.caCertPem(), 0);
    QairException e = failure(enroll("work", agent));
    assertThat(e.getMessage()).contains("unknown token");
    assertNothingIssuedTo(agent, 0);
  }

  @Test
  void aTokenForAnotherZoneIsRefused() throws Exception {
    AgentMain.Running agent = agents.start("a", "work", tokens.issue("personal"), pki.caCertPem(), 0);
    QairException e = failure(enroll("work", agent));
    assertThat(e.getMessage()).contains("another zone");
    assertNothingIssuedTo(agent, 0);
  }

  @Test
  void aCsrForAnotherKeyThanTheTlsPeerIsRefusedAndTheTokenIsNotBurned() throws Exception {
    // a hostile "agent": serves TLS with key A, hands over a CSR for key B and a good token
    String token = tokens.issue("work");
    KeyPair tlsKey = EcCurve.P256.generate();
    KeyPair otherKey = EcCurve.P256.generate();
    var self = Certificates.selfSigned(tlsKey, "work", Duration.ofDays(1));
    HttpServer evil = await(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
            .setClientAuth(ClientAuth.REQUIRED)
            .setKeyCertOptions(KeyCertOptions.wrap(TlsMaterial.keyManager(tlsKey.getPrivate(), List.of(self))))
            .setTrustOptions(TrustOptions.wrap(pki.caTrustManager())))
        .requestHandler(req -> req.response().putHeader("content-type", "application/json")
            .end(AgentJson.write(new EnrollResponse(Csr.create(otherKey, "work").pem(), token))))
        .listen());

    QairException e = failure(enroller.enroll("work", "127.0.0.1:" + evil.actualPort(), s -> {
      recordedSerials.add(s);
      return Future.succeededFuture();
    }));
    assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
    assertThat(e.getMessage()).contains("different key");
    assertThat(recordedSerials).isEmpty();
    assertThat(ledger.tokens.values()).allMatch(t -> t.usedAt() == null);
    evil.close();
  }

  @Test
  void anOversizedAnswerIsRefusedAndTheTokenIsNotBurned() throws Exception {
    tokens.issue("work");
    KeyPair tlsKey = EcCurve.P256.generate();
    var self = Certificates.selfSigned(tlsKey, "work", Duration.ofDays(1));
    HttpServer flood = await(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
            .setKeyCertOptions(KeyCertOptions.wrap(TlsMaterial.keyManager(tlsKey.getPrivate(), List.of(self)))))
        .requestHandler(req -> req.response().end(Buffer.buffer(new byte[Enroller.MAX_ANSWER + 1])))
        .listen());
    QairException e = failure(enroller.enroll("work", "127.0.0.1:" + flood.actualPort(), s -> {
      recordedSerials.add(s);
      return Future.succeededFuture();
    }));
    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("larger than");
    assertThat(recordedSerials).isEmpty();
    assertThat(ledger.tokens.values()).allMatch(t -> t.usedAt() == null);
    flood.close();
  }

  @Test
  void theAgentsPrivateKeyStaysOwnerOnlyAndNeverReachesTheMaster() throws Exception {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    enroller.tapAnswers(b -> received.writeBytes(b.getBytes()));
    AgentMain.Running agent = agents.start("a", "work", tokens.issue("work"), pki.caCertPem(), 0);
    await(enroll("work", agent));

    Path keyFile = agents.dataDir("a").resolve("agent.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    KeyPair keys = Pem.readKeyPair(Files.readString(keyFile));
    byte[] d = ((ECPrivateKey) keys.getPrivate()).getS().toByteArray();
    byte[] scalar = java.util.Arrays.copyOfRange(d, d.length - 32, d.length);
    String all = received.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(received.size()).isGreaterThan(200);
    assertThat(all).doesNotContain(new String(scalar, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(HexFormat.of().formatHex(scalar))
        .doesNotContain(Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()).substring(0, 40))
        .doesNotContain(Files.readString(keyFile).lines().skip(1).findFirst().orElseThrow())
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void afterEnrollmentTheEnrollEndpointIsGone() throws Exception {
    AgentMain.Running agent = agents.start("a", "work", tokens.issue("work"), pki.caCertPem(), 0);
    await(enroll("work", agent));
    // an enrolled agent serves its issued cert, which the enrollment client accepts, and answers 404
    QairException e = failure(enroll("work", agent));
    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(e.getMessage()).contains("enrollment is closed");
    assertThat(recordedSerials).hasSize(1);
  }

  private void assertNothingIssuedTo(AgentMain.Running agent, int serialsBefore) {
    assertThat(recordedSerials).hasSize(serialsBefore);
    assertThat(agent.server().identity().enrolled()).isFalse();
  }
}
