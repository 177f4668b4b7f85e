package io.qair.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.agent.spi.DisplayEndpoint;
import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each GUI qube's own X server: reachable by the agent on its sockets, by no other qube. */
class QubeDisplayIT {
  private static SandboxFixture fixture;
  private static SandboxIsolationBackend backend;
  private final List<String> started = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    fixture = new SandboxFixture();
    backend = fixture.newBackend();
  }

  @AfterAll
  static void tearDown() throws Exception {
    backend.close();
    fixture.close();
  }

  @AfterEach
  void stopAll() {
    for (String q : started) {
      try {
        backend.shutdown(q, Duration.ofSeconds(2));
        backend.removeVolumes(q);
      } catch (RuntimeException e) {
        // gone already
      }
    }
  }

  private void start(String name, String klass, Map<String, String> features) {
    started.add(name);
    backend.start(new QubeSpec(name, klass, SandboxFixture.TEMPLATE, "red", 400, 1, null, features));
  }

  private RecordingListener sh(String qube, String script) {
    RecordingListener l = new RecordingListener();
    backend.exec(qube, new ExecRequest(List.of("sh", "-c", script), Map.of()), l).closeStdin();
    l.exitCode();
    return l;
  }

  private static void awaitFile(Path p) throws InterruptedException {
    for (int i = 0; i < 200 && !Files.exists(p); i++) {
      Thread.sleep(50);
    }
    assertThat(p).exists();
  }

  @Test
  void theAgentReachesTheQubesXvncOverRfbOnItsUnixSocket() throws Exception {
    start("gui1", "AppVM", Map.of());
    DisplayEndpoint d = backend.display("gui1").orElseThrow();
    awaitFile(d.rfbSocket());
    awaitFile(d.x11Socket());
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(d.rfbSocket()));
      ByteBuffer b = ByteBuffer.allocate(12);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // the server speaks first
      }
      assertThat(new String(b.array(), StandardCharsets.US_ASCII)).isEqualTo("RFB 003.008\n");
    }
    // no TCP listener in the qube (port 6000 = X :0, 5900 = VNC), and commands get DISPLAY=:0
    RecordingListener tcp = sh("gui1", "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == \"0A\"' | wc -l; echo $DISPLAY");
    assertThat(tcp.stdout()).isEqualTo("0\n:0\n");
  }

  @Test
  void anotherQubeNeverSeesThisQubesWindows() throws Exception {
    start("guia", "AppVM", Map.of());
    start("guib", "AppVM", Map.of());
    awaitFile(backend.display("guia").orElseThrow().x11Socket());
    awaitFile(backend.display("guib").orElseThrow().x11Socket());
    RecordingListener xterm = new RecordingListener();
    backend.exec("guia", new ExecRequest(List.of("xterm", "-T", "secret-of-a"), Map.of()), xterm).closeStdin();
    String own = "";
    for (int i = 0; i < 100 && !own.contains("secret-of-a"); i++) {
      Thread.sleep(100);
      own = sh("guia", "xwininfo -root -tree").stdout();
    }
    assertThat(own).contains("secret-of-a");
    // guib's DISPLAY=:0 (path and abstract socket) is its own X server
    RecordingListener other = sh("guib", "xwininfo -root -tree; ls -a /tmp/.X11-unix");
    assertThat(other.stdout()).doesNotContain("secret-of-a").contains("X0");
  }

  @Test
  void aDisposableHasNoDisplayUnlessAskedAndGuiZeroTurnsItOff() throws Exception {
    start("dispgui0", "DispVM", Map.of());
    assertThat(backend.display("dispgui0")).isEmpty();
    assertThat(sh("dispgui0", "ls -A /tmp/.X11-unix 2>/dev/null | wc -l").stdout()).isEqualTo("0\n");
    start("nogui", "AppVM", Map.of("gui", "0"));
    assertThat(backend.display("nogui")).isEmpty();
    start("dispgui1", "DispVM", Map.of("gui", "1"));
    awaitFile(backend.display("dispgui1").orElseThrow().rfbSocket());
  }
}
