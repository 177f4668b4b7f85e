package io.qair.agent.server;

import static io.qair.agent.server.TestMaster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.agent.AgentConfig;
import io.qair.agent.AgentMain;
import io.qair.agent.spi.CallChannel;
import io.qair.agent.spi.CallListener;
import io.qair.protocol.agent.QrexecMessage;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.SubjectAltName;
import io.qair.protocol.pki.TlsMaterial;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's {@code /v1/qrexec} link: who may open it, and calls decided over it. */
class AgentQrexecLinkTest {
  static final CertificateAuthority CA = CertificateAuthority.create(EcCurve.P256, "test master CA");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Vertx vertx;
  TestMaster master;
  CallCapturingBackend backend;
  AgentMain.Running agent;

  /** The fake backend, keeping the call listener the agent gives it. */
  static final class CallCapturingBackend extends FakeIsolationBackend {
    volatile CallListener calls;

    @Override
    public void onCall(CallListener listener) {
      this.calls = listener;
    }
  }

  /** A caller: STDIN to send, frames received. */
  static final class Caller implements CallChannel {
    final BlockingQueue<Optional<Frame>> in = new LinkedBlockingQueue<>();
    final List<Frame> out = new CopyOnWriteArrayList<>();

    @Override
    public Optional<Frame> read() throws java.io.IOException {
      try {
        return in.take();
      } catch (InterruptedException e) {
        throw new java.io.IOException(e);
      }
    }

    @Override
    public void send(Frame frame) {
      out.add(frame);
    }

    @Override
    public void close() {
      in.add(Optional.empty());
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    master = new TestMaster(vertx, CA);
    backend = new CallCapturingBackend();
    Files.writeString(tmp.resolve("ca.pem"), CA.certificatePem());
    Files.writeString(tmp.resolve("token"), "t");
    agent = AgentMain.start(AgentConfig.parse("--data-dir", tmp.resolve("data").toString(), "--zone", "work",
        "--listen", "127.0.0.1:0", "--ca-cert", tmp.resolve("ca.pem").toString(),
        "--token-file", tmp.resolve("token").toString()), backend);
    master.enroll(agent.server().port(), "work");
    var r = TestMaster.call(master.client(false), HttpMethod.POST, agent.server().port(), "/v1/qubes/personal/start",
        AgentJson.write(new QubeSpec("personal", "AppVM", "debian-12", "red", 400, 1, null, Map.of())));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  @AfterEach
  void tearDown() {
    agent.stop();
    vertx.close();
  }

  private WebSocket link(String cn) {
    KeyPair keys = EcCurve.P256.generate();
    X509Certificate cert = CA.issue(keys.getPublic(), cn, List.of(SubjectAltName.dns("localhost")));
    var client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(false)
        .setKeyCertOptions(KeyCertOptions.wrap(TlsMaterial.keyManager(keys.getPrivate(), List.of(cert))))
        .setTrustOptions(TrustOptions.wrap(TlsMaterial.trustManager(List.of(CA.certificate())))));
    return await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(agent.server().port())
        .setURI("/v1/qrexec").setSsl(true)));
  }

  private Caller call(String target, String service, String stdin) {
    Caller caller = new Caller();
    if (stdin != null) {
      caller.in.add(Optional.of(new Frame(FrameType.STDIN, stdin.getBytes(StandardCharsets.UTF_8))));
      caller.in.add(Optional.of(Frame.eof(FrameType.STDIN)));
    }
    CompletableFuture.runAsync(() -> backend.calls.onCall("work",
        (target + "\0" + service + "\0").getBytes(StandardCharsets.US_ASCII), caller));
    return caller;
  }

  private static int exitOf(Caller c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Frame f : c.out) {
        if (f.type() == FrameType.EXIT) {
          return f.exitCode();
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no EXIT");
  }

  @Test
  void onlyTheMastersCertificateMayOpenTheLink() {
    assertThatThrownBy(() -> link(Certificates.GATEWAY_CN)).isInstanceOfSatisfying(UpgradeRejectedException.class,
        e -> assertThat(e.getStatus()).isEqualTo(403));
  }

  @Test
  void withoutAMasterEveryCallIsRefused() throws Exception {
    Caller c = call("personal", "test.Echo", null);
    assertThat(exitOf(c)).isEqualTo(126);
    assertThat(c.out.get(0).text()).contains("the master is not connected");
  }

  @Test
  void theMasterDecidesEachCallOverTheLink() throws Exception {
    WebSocket ws = link(Certificates.MASTER_CN);
    List<QrexecMessage> asked = new CopyOnWriteArrayList<>();
    List<QrexecMessage> ended = new CopyOnWriteArrayList<>();
    ws.textMessageHandler(text -> {
      try {
        QrexecMessage m = JSON.readValue(text, QrexecMessage.class);
        if (m.type().equals(QrexecMessage.ENDED)) {
          ended.add(m);
          return;
        }
        asked.add(m);
        QrexecMessage d = m.service().equals("test.Echo") ? QrexecMessage.allow(m.id(), "personal", null)
            : QrexecMessage.deny(m.id(), "no rule matches");
        ws.writeTextMessage(JSON.writeValueAsString(d));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Caller allowed = call("personal", "test.Echo", "hi");
    assertThat(exitOf(allowed)).isZero();
    assertThat(allowed.out.stream().filter(f -> f.type() == FrameType.STDOUT).map(Frame::text))
        .contains("hi");
    Caller denied = call("personal", "test.Other", "hi");
    assertThat(exitOf(denied)).isEqualTo(126);
    assertThat(denied.out.get(0).text()).isEqualTo("request refused: no rule matches");
    assertThat(asked).extracting(QrexecMessage::source).containsOnly("work");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ended.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(ended).extracting(QrexecMessage::exitCode).containsExactlyInAnyOrder(0, 126);

    // the master goes away while a call waits: the call is refused at once
    ws.textMessageHandler(text -> { });
    Caller waiting = call("personal", "test.Echo", null);
    Thread.sleep(200);
    ws.close();
    assertThat(exitOf(waiting)).isEqualTo(126);
    assertThat(waiting.out.get(0).text()).contains("went away");
  }
}
