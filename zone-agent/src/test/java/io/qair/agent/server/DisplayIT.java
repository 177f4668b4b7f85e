package io.qair.agent.server;

import static io.qair.agent.server.TestMaster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.agent.AgentConfig;
import io.qair.agent.AgentMain;
import io.qair.agent.display.TestViewer;
import io.qair.agent.display.guac.GuacInstruction;
import io.qair.agent.sandbox.SandboxFixture;
import io.qair.agent.sandbox.SandboxIsolationBackend;
import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.SubjectAltName;
import io.qair.protocol.pki.TlsMaterial;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real qube's display through the agent's endpoint: real Xvnc in a sandbox, our RFB client and
 * window manager, Guacamole instructions to a viewer holding the gateway's certificate.
 */
class DisplayIT {
  static final CertificateAuthority CA = CertificateAuthority.create(EcCurve.P256, "test master CA");
  static Vertx vertx;
  static TestMaster master;
  static SandboxFixture fixture;
  static AgentMain.Running agent;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    master = new TestMaster(vertx, CA);
    fixture = new SandboxFixture();
    Files.writeString(fixture.home.resolve("ca.pem"), CA.certificatePem());
    Files.writeString(fixture.home.resolve("token"), "t");
    agent = AgentMain.start(AgentConfig.parse("--data-dir", fixture.config.dataDir().toString(), "--zone", "disp",
        "--listen", "127.0.0.1:0", "--ca-cert", fixture.home.resolve("ca.pem").toString(),
        "--token-file", fixture.home.resolve("token").toString(),
        "--templates-dir", fixture.config.templatesDir().toString(),
        "--guest-binary", SandboxFixture.guestBinary().toString()), new SandboxIsolationBackend());
    master.enroll(agent.server().port(), "disp");
    for (String q : List.of("work", "other")) {
      var r = TestMaster.call(master.client(false), HttpMethod.POST, agent.server().port(), "/v1/qubes/" + q + "/start",
          AgentJson.write(new QubeSpec(q, "AppVM", SandboxFixture.TEMPLATE, "blue", 400, 1, null, Map.of())));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (String q : List.of("work", "other")) {
      try {
        agent.backend().shutdown(q, java.time.Duration.ofSeconds(2));
        agent.backend().removeVolumes(q);
      } catch (RuntimeException e) {
        // gone
      }
    }
    agent.stop();
    vertx.close();
    fixture.close();
  }

  private static WebSocket open(String cn, String qube, TestViewer[] viewer) {
    KeyPair keys = EcCurve.P256.generate();
    X509Certificate cert = CA.issue(keys.getPublic(), cn, List.of(SubjectAltName.dns("localhost")));
    var client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(false)
        .setMaxMessageSize(1 << 20)
        .setKeyCertOptions(KeyCertOptions.wrap(TlsMaterial.keyManager(keys.getPrivate(), List.of(cert))))
        .setTrustOptions(TrustOptions.wrap(TlsMaterial.trustManager(List.of(CA.certificate())))));
    WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(agent.server().port())
        .setURI("/v1/qubes/" + qube + "/display").setSsl(true).addSubProtocol("guacamole")));
    viewer[0] = new TestViewer(ws::writeTextMessage);
    ws.textMessageHandler(t -> viewer[0].onText(t));
    return ws;
  }

  private static void run(String qube, String... argv) {
    agent.backend().exec(qube, new ExecRequest(List.of(argv), Map.of()), new RecordingListener()).closeStdin();
  }

  private static String sh(String qube, String script) {
    RecordingListener l = new RecordingListener();
    agent.backend().exec(qube, new ExecRequest(List.of("sh", "-c", script), Map.of()), l).closeStdin();
    l.exitCode();
    return l.stdout();
  }

  private static void type(WebSocket ws, String text) {
    for (char c : text.toCharArray()) {
      int keysym = c == '\n' ? 0xff0d : c;
      ws.writeTextMessage(GuacInstruction.of("key", keysym, 1).encode() + GuacInstruction.of("key", keysym, 0).encode());
    }
  }

  @Test
  void aWindowArrivesAsItsOwnLayerTakesKeysResizesAndClosesPolitely() throws Exception {
    TestViewer[] v = new TestViewer[1];
    WebSocket ws = open("qair-gateway", "work", v);
    run("work", "xterm", "-T", "hello-title", "-geometry", "80x24");
    GuacInstruction win = v[0].await(i -> i.opcode().equals("qair-window") && i.arg(5).equals("hello-title"), 20_000);
    int layer = Integer.parseInt(win.arg(0));
    assertThat(win.arg(1)).isEqualTo("normal");
    v[0].await(i -> i.opcode().equals("img") && i.arg(2).equals(win.arg(0)), 10_000);
    v[0].await(i -> i.opcode().equals("sync"), 10_000);
    // xterm paints a white background: most of the window layer is white
    Thread.sleep(500);
    BufferedImage img = v[0].layers.get(layer);
    assertThat(img).isNotNull();
    assertThat(img.getRGB(img.getWidth() - 3, img.getHeight() - 3) & 0xffffff).isEqualTo(0xffffff);

    ws.writeTextMessage(GuacInstruction.of("qair-focus", layer).encode());
    type(ws, "echo typed-in > ~/typed\n");
    String typed = "";
    for (int i = 0; i < 100 && !typed.equals("typed-in\n"); i++) {
      Thread.sleep(100);
      typed = sh("work", "cat ~/typed 2>/dev/null");
    }
    assertThat(typed).isEqualTo("typed-in\n");

    ws.writeTextMessage(GuacInstruction.of("qair-resize", layer, 500, 300).encode());
    v[0].await(i -> i.opcode().equals("size") && i.arg(0).equals(win.arg(0)) && i.arg(1).equals("500")
        && i.arg(2).equals("300"), 10_000);
    assertThat(sh("work", "xwininfo -name hello-title")).contains("Width: 500").contains("Height: 300");

    ws.writeTextMessage(GuacInstruction.of("qair-close", layer).encode());
    v[0].await(i -> i.opcode().equals("qair-unmap") && i.arg(0).equals(win.arg(0)), 10_000);
    String left = "?";
    for (int i = 0; i < 50 && !left.isEmpty(); i++) {
      left = sh("work", "pgrep -f 'xterm -T hello-[t]itle' || true");
      Thread.sleep(100);
    }
    assertThat(left).as("the xterm exited after WM_DELETE_WINDOW").isEmpty();
    ws.close();
  }

  @Test
  void aHostileTitleIsCutAndCleanedAndOtherQubesWindowsAreNotSeen() throws Exception {
    TestViewer[] v = new TestViewer[1];
    WebSocket ws = open("qair-gateway", "other", v);
    run("other", "sh", "-c", "xterm -T \"$(printf 'A\\033[31m\\007%.0s' $(seq 1 10000))\" -e sleep 60");
    run("work", "xterm", "-T", "work-secret", "-e", "sleep 60");
    GuacInstruction win = v[0].await(i -> i.opcode().equals("qair-window") && i.arg(5).startsWith("A"), 20_000);
    assertThat(win.arg(5).codePointCount(0, win.arg(5).length())).isLessThanOrEqualTo(256);
    assertThat(win.arg(5)).doesNotContain("\u001b", "\u0007").matches("[A-Za-z0-9\\[]+");
    Thread.sleep(1000);
    assertThat(v[0].find(i -> i.opcode().equals("qair-window") && i.arg(5).contains("work-secret"))).isEmpty();
    ws.close();
  }

  @Test
  void theClipboardGoesInAndComesOutOnlyWhenAsked() throws Exception {
    TestViewer[] v = new TestViewer[1];
    WebSocket ws = open("qair-gateway", "other", v);
    run("other", "xterm", "-T", "paste-here", "-geometry", "40x5", "-e", "sh", "-c", "stty -icanon; exec cat > ~/pasted");
    GuacInstruction win = v[0].await(i -> i.opcode().equals("qair-window") && i.arg(5).equals("paste-here"), 20_000);
    // the text in two parts, as the gateway cuts long text; a middle click pastes PRIMARY
    ws.writeTextMessage(GuacInstruction.of("qair-clipboard-set", "grü", "ße ✓").encode());
    Thread.sleep(300);
    for (int mask : new int[] {0, 2, 0}) {
      ws.writeTextMessage(GuacInstruction.of("qair-mouse", win.arg(0), 30, 30, mask).encode());
    }
    String pasted = "";
    for (int i = 0; i < 100 && !pasted.equals("grüße ✓"); i++) {
      Thread.sleep(100);
      pasted = sh("other", "cat ~/pasted 2>/dev/null");
    }
    assertThat(pasted).isEqualTo("grüße ✓");

    run("other", "xterm", "-T", "copy-from-here", "-geometry", "40x5", "-e", "sh", "-c", "echo copy-me-please; sleep 60");
    GuacInstruction src = v[0].await(i -> i.opcode().equals("qair-window") && i.arg(5).equals("copy-from-here"), 20_000);
    assertThat(v[0].find(i -> i.opcode().equals("qair-clipboard"))).as("nothing unasked").isEmpty();
    Thread.sleep(500);
    for (int mask : new int[] {0, 1, 0, 1, 0, 1, 0}) { // triple click selects the line
      ws.writeTextMessage(GuacInstruction.of("qair-mouse", src.arg(0), 10, 6, mask).encode());
    }
    String got = "";
    for (int i = 0; i < 50 && !got.contains("copy-me-please"); i++) {
      Thread.sleep(200);
      ws.writeTextMessage(GuacInstruction.of("qair-clipboard-get").encode());
      Thread.sleep(100);
      var answers = v[0].find(x -> x.opcode().equals("qair-clipboard"));
      got = answers.isEmpty() ? "" : String.join("", answers.get(answers.size() - 1).args());
    }
    assertThat(got).contains("copy-me-please");
    ws.close();
  }

  @Test
  void anAgentsCertificateMayNotWatch() {
    TestViewer[] v = new TestViewer[1];
    // the TLS layer already refuses any CN but the master's and the gateway's (the route checks again)
    assertThatThrownBy(() -> open("disp", "work", v)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> open("other-zone", "work", v)).isInstanceOf(RuntimeException.class);
  }
}
