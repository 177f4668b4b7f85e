package io.qair.agent.server;

import static io.qair.agent.server.TestMaster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.agent.AgentConfig;
import io.qair.agent.AgentMain;
import io.qair.protocol.agent.AgentInfo;
import io.qair.protocol.agent.EnrollRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.api.ErrorBody;
import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.TlsMaterial;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.KeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentServerTest {
  static final CertificateAuthority CA = CertificateAuthority.create(EcCurve.P256, "test master CA");
  static final CertificateAuthority OTHER_CA = CertificateAuthority.create(EcCurve.P256, "someone else");

  @TempDir Path tmp;
  Vertx vertx;
  TestMaster master;
  FakeIsolationBackend backend;
  AgentMain.Running agent;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    master = new TestMaster(vertx, CA);
    backend = new FakeIsolationBackend();
    Files.writeString(tmp.resolve("ca.pem"), CA.certificatePem());
    Files.writeString(tmp.resolve("token"), "the-token\n");
    agent = AgentMain.start(config(), backend);
  }

  AgentConfig config() {
    return AgentConfig.parse("--data-dir", tmp.resolve("data").toString(), "--zone", "work",
        "--listen", "127.0.0.1:0", "--ca-cert", tmp.resolve("ca.pem").toString(),
        "--ca-fingerprint", CA.fingerprint(), "--token-file", tmp.resolve("token").toString(),
        "--backend", "fake");
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.stop();
    }
    vertx.close();
  }

  int port() {
    return agent.server().port();
  }

  @Test
  void writesItsPortAndKeepsItsKeyOwnerOnly() throws Exception {
    Path data = tmp.resolve("data");
    assertThat(Files.readString(data.resolve("agent.port")).trim()).isEqualTo(Integer.toString(port()));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("agent.key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
  }

  @Test
  void beforeEnrollmentOnlyEnrollAnswers() {
    HttpClient c = master.client(true);
    var r = call(c, HttpMethod.GET, port(), "/v1/info", null);
    assertThat(r.status()).isEqualTo(409);
    assertThat(AgentJson.read(r.body(), ErrorBody.class).error()).isEqualTo("CONFLICT");
    assertThat(Certificates.commonName(r.peer())).isEqualTo("work");
    assertThat(r.peer().getIssuerX500Principal()).isEqualTo(r.peer().getSubjectX500Principal());
  }

  @Test
  void enrollsThenServesTheIssuedCertificateAndClosesEnrollment() throws Exception {
    X509Certificate issued = master.enroll(port(), "work");

    HttpClient c = master.client(false);
    var info = call(c, HttpMethod.GET, port(), "/v1/info", null);
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.peer().getSerialNumber()).isEqualTo(issued.getSerialNumber());
    AgentInfo ai = AgentJson.read(info.body(), AgentInfo.class);
    assertThat(ai.zone()).isEqualTo("work");
    assertThat(ai.backend()).isEqualTo("fake");

    var again = call(c, HttpMethod.POST, port(), "/v1/enroll",
        AgentJson.write(new EnrollRequest("work", CA.certificatePem())));
    assertThat(again.status()).isEqualTo(404);
    var complete = call(c, HttpMethod.POST, port(), "/v1/enroll/complete", Buffer.buffer("{}"));
    assertThat(complete.status()).isEqualTo(404);
    assertThat(Files.exists(tmp.resolve("token"))).as("token burned on the agent too").isFalse();
  }

  @Test
  void staysEnrolledAcrossARestart() {
    X509Certificate issued = master.enroll(port(), "work");
    agent.stop();
    agent = AgentMain.start(config(), new FakeIsolationBackend());

    var r = call(master.client(false), HttpMethod.GET, port(), "/v1/qubes", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.peer()).isEqualTo(issued);
    assertThat(call(master.client(false), HttpMethod.POST, port(), "/v1/enroll",
        AgentJson.write(new EnrollRequest("work", CA.certificatePem()))).status()).isEqualTo(404);
  }

  @Test
  void refusesAClientWithoutACertificate() {
    HttpClient c = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    assertThatThrownBy(() -> call(c, HttpMethod.GET, port(), "/v1/info", null)).hasStackTraceContaining("SSLHandshakeException");
  }

  @Test
  void refusesASelfSignedClientCertificate() {
    KeyPair k = EcCurve.P256.generate();
    X509Certificate self = Certificates.selfSigned(k, "qair-master", java.time.Duration.ofDays(1));
    assertThatThrownBy(() -> call(clientWith(k, self), HttpMethod.GET, port(), "/v1/info", null)).hasStackTraceContaining("SSLHandshakeException");
  }

  @Test
  void refusesAClientCertificateFromAnotherCa() {
    KeyPair k = EcCurve.P256.generate();
    X509Certificate cert = OTHER_CA.issue(k.getPublic(), "qair-master", List.of());
    assertThatThrownBy(() -> call(clientWith(k, cert), HttpMethod.POST, port(), "/v1/enroll",
        AgentJson.write(new EnrollRequest("work", CA.certificatePem())))).hasStackTraceContaining("SSLHandshakeException");
  }

  @Test
  void refusesAnotherZonesAgentCertificateFromTheSameCa() {
    master.enroll(port(), "work");
    KeyPair k = EcCurve.P256.generate();
    X509Certificate otherAgent = CA.issue(k.getPublic(), "personal", List.of());
    assertThatThrownBy(() -> call(clientWith(k, otherAgent), HttpMethod.GET, port(), "/v1/qubes", null))
        .hasStackTraceContaining("SSLHandshakeException");
  }

  @Test
  void refusesACertificateForAnotherKey() {
    HttpClient c = master.client(true);
    call(c, HttpMethod.POST, port(), "/v1/enroll", AgentJson.write(new EnrollRequest("work", CA.certificatePem())));
    X509Certificate wrong = CA.issue(EcCurve.P256.generate().getPublic(), "work", List.of());
    var r = call(c, HttpMethod.POST, port(), "/v1/enroll/complete", AgentJson.write(
        new io.qair.protocol.agent.EnrollComplete(Pem.write((Object) wrong), CA.certificatePem())));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).contains("not for this agent's key");
    assertThat(Files.exists(tmp.resolve("data/agent.pem"))).isFalse();
  }

  @Test
  void refusesToStartWhenTheCaDoesNotMatchItsFingerprint() {
    agent.stop();
    agent = null;
    AgentConfig c = AgentConfig.parse("--data-dir", tmp.resolve("other").toString(), "--zone", "work",
        "--listen", "127.0.0.1:0", "--ca-cert", tmp.resolve("ca.pem").toString(),
        "--ca-fingerprint", OTHER_CA.fingerprint());
    assertThatThrownBy(() -> AgentMain.start(c, new FakeIsolationBackend()))
        .hasMessageContaining("--ca-fingerprint");
  }

  @Test
  void answersErrorBodiesAndBoundsBodies() {
    master.enroll(port(), "work");
    HttpClient c = master.client(false);
    var bad = call(c, HttpMethod.POST, port(), "/v1/qubes/work/start", Buffer.buffer("{not json"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(AgentJson.read(bad.body(), ErrorBody.class).error()).isEqualTo("BAD_REQUEST");

    var broken = call(c, HttpMethod.POST, port(), "/v1/qubes/work/start",
        AgentJson.write(new QubeSpec("work", "AppVM", "broken", "red", 400, 1, null, Map.of())));
    assertThat(broken.status()).isEqualTo(503);
    assertThat(AgentJson.read(broken.body(), ErrorBody.class).message()).contains("cannot start");

    var huge = call(c, HttpMethod.POST, port(), "/v1/qubes/work/start",
        Buffer.buffer(new byte[AgentServer.MAX_BODY + 10]));
    assertThat(huge.status()).isEqualTo(413);

    var badName = call(c, HttpMethod.DELETE, port(), "/v1/qubes/-evil", null);
    assertThat(badName.status()).isEqualTo(400);

    var unknown = call(c, HttpMethod.GET, port(), "/v1/nothing", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(AgentJson.read(unknown.body(), ErrorBody.class).error()).isEqualTo("NOT_FOUND");
  }

  private HttpClient clientWith(KeyPair k, X509Certificate cert) {
    return vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setKeyCertOptions(KeyCertOptions.wrap(TlsMaterial.keyManager(k.getPrivate(), List.of(cert)))));
  }
}
