package io.qair.agent.server;

import static io.qair.agent.server.TestMaster.await;
import static io.qair.agent.server.TestMaster.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.agent.AgentConfig;
import io.qair.agent.AgentMain;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.TlsMaterial;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentExecTest {
  static final CertificateAuthority CA = CertificateAuthority.create(EcCurve.P256, "test master CA");

  @TempDir Path tmp;
  Vertx vertx;
  TestMaster master;
  FakeIsolationBackend backend;
  AgentMain.Running agent;
  WebSocketClient wsClient;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    master = new TestMaster(vertx, CA);
    backend = new FakeIsolationBackend();
    Files.writeString(tmp.resolve("ca.pem"), CA.certificatePem());
    Files.writeString(tmp.resolve("token"), "t");
    agent = AgentMain.start(AgentConfig.parse("--data-dir", tmp.resolve("data").toString(), "--zone", "work",
        "--listen", "127.0.0.1:0", "--ca-cert", tmp.resolve("ca.pem").toString(),
        "--token-file", tmp.resolve("token").toString()), backend);
    master.enroll(agent.server().port(), "work");
    wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(false)
        .setMaxFrameSize(Frame.HEADER + Frame.MAX_PAYLOAD).setMaxMessageSize(1 << 20)
        .setKeyCertOptions(KeyCertOptions.wrap(
            TlsMaterial.keyManager(master.clientKeys.getPrivate(), List.of(master.clientCert))))
        .setTrustOptions(TrustOptions.wrap(TlsMaterial.trustManager(List.of(CA.certificate())))));
  }

  @AfterEach
  void tearDown() {
    agent.stop();
    vertx.close();
  }

  WebSocket connect(String uri) {
    return await(wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(agent.server().port()).setURI(uri).setSsl(true)));
  }

  void startQube(String name) {
    var r = call(master.client(false), HttpMethod.POST, agent.server().port(), "/v1/qubes/" + name + "/start",
        AgentJson.write(new QubeSpec(name, "AppVM", "debian-12", "red", 400, 1, null, Map.of())));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  /** Runs a command, feeding {@code input}; returns stdout and the exit code. */
  record Result(byte[] stdout, int exit, String error) {}

  Result exec(String qube, List<String> argv, byte[] input) throws Exception {
    WebSocket ws = connect("/v1/qubes/" + qube + "/exec");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder error = new StringBuilder();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    FrameDecoder dec = new FrameDecoder();
    ws.binaryMessageHandler(b -> {
      for (Frame f : dec.feed(b.getBytes())) {
        switch (f.type()) {
          case STDOUT -> out.writeBytes(f.payload());
          case ERROR -> error.append(f.text());
          case EXIT -> exit.complete(f.exitCode());
          default -> { }
        }
      }
    });
    ws.closeHandler(v -> exit.complete(-1));
    ws.writeTextMessage(AgentJson.write(new ExecRequest(argv, Map.of())).toString());
    for (int off = 0; off < input.length; off += 10_000) {
      ws.writeBinaryMessage(Buffer.buffer(Frame.of(FrameType.STDIN, input, off,
          Math.min(10_000, input.length - off)).encode()));
    }
    ws.writeBinaryMessage(Buffer.buffer(Frame.eof(FrameType.STDIN).encode()));
    int code = exit.get(30, TimeUnit.SECONDS);
    return new Result(out.toByteArray(), code, error.toString());
  }

  @Test
  void execRelaysStdinToStdoutAndTheExitCode() throws Exception {
    startQube("work");
    Result r = exec("work", List.of("cat", "3"), "hello qube".getBytes());
    assertThat(new String(r.stdout())).isEqualTo("hello qube");
    assertThat(r.exit()).isEqualTo(3);
  }

  @Test
  void aSlowCommandGetsAllItsInputInOrder() throws Exception {
    startQube("work");
    backend.readDelayMillis = 2;
    byte[] input = new byte[2_000_000];
    new Random(7).nextBytes(input);
    Result r = exec("work", List.of("cat", "0"), input);
    assertThat(r.exit()).isZero();
    assertThat(r.stdout()).isEqualTo(input);
  }

  @Test
  void execInAHaltedQubeIsRefusedWithAnErrorFrame() throws Exception {
    Result r = exec("stopped", List.of("true"), new byte[0]);
    assertThat(r.exit()).isEqualTo(126);
    assertThat(r.error()).contains("not running");
  }

  /** Sends raw messages on an exec socket; returns the ERROR text the agent answers with. */
  String protocolError(boolean requestFirst, Frame frame) throws Exception {
    startQube("work");
    WebSocket ws = connect("/v1/qubes/work/exec");
    CompletableFuture<String> error = new CompletableFuture<>();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    FrameDecoder dec = new FrameDecoder();
    ws.binaryMessageHandler(b -> dec.feed(b.getBytes()).forEach(f -> {
      if (f.type() == FrameType.ERROR) {
        error.complete(f.text());
      } else if (f.type() == FrameType.EXIT) {
        exit.complete(f.exitCode());
      }
    }));
    if (requestFirst) {
      ws.writeTextMessage(AgentJson.write(new ExecRequest(List.of("cat"), Map.of())).toString());
    }
    ws.writeBinaryMessage(Buffer.buffer(frame.encode()));
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(126);
    return error.get(1, TimeUnit.SECONDS);
  }

  @Test
  void aFrameBeforeTheExecRequestIsAProtocolError() throws Exception {
    assertThat(protocolError(false, new Frame(FrameType.STDIN, "x".getBytes()))).contains("first message");
  }

  @Test
  void theMasterMaySendOnlyStdin() throws Exception {
    assertThat(protocolError(true, Frame.exit(0))).contains("only send STDIN");
  }

  @Test
  void eventsStreamStateChanges() throws Exception {
    WebSocket ws = connect("/v1/events");
    LinkedBlockingQueue<QubeStatus> seen = new LinkedBlockingQueue<>();
    ws.textMessageHandler(t -> seen.add(AgentJson.read(t, QubeStatus.class)));
    long deadline = System.currentTimeMillis() + 5000;
    while (agent.server().eventSubscribers() == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    startQube("work");
    assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(new QubeStatus("work", "RUNNING", null));
    backend.crash("work", "out of memory");
    assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(new QubeStatus("work", "CRASHED", "out of memory"));
  }
}
