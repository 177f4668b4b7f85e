package io.qair.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.QubeClass;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExecApiTest extends WithTestMaster {

  @BeforeEach
  void createWork() throws Exception {
    assertThat(m.call("POST", "/api/v1/qubes", "{\"name\":\"work\",\"label\":\"red\"}").status()).isEqualTo(201);
  }


  /** A raw exec call: every frame received, and the close. */
  final class Call implements WebSocket.Listener {
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final FrameDecoder decoder = new FrameDecoder();
    WebSocket ws;

    Call open(String target) throws Exception {
      ws = m.http().newWebSocketBuilder()
          .header("Authorization", "Bearer " + m.token)
          .buildAsync(URI.create("wss://127.0.0.1:" + m.server.port() + "/api/v1/qubes/" + target + "/exec"), this)
          .get(10, TimeUnit.SECONDS);
      return this;
    }

    Call send(String text) {
      ws.sendText(text, true).join();
      return this;
    }

    Call send(Frame f) {
      ws.sendBinary(ByteBuffer.wrap(f.encode()), true).join();
      return this;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      frames.addAll(decoder.feed(b));
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
      closed.complete(status);
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      closed.completeExceptionally(error);
    }

    List<Frame> finish() throws Exception {
      closed.get(10, TimeUnit.SECONDS);
      return frames;
    }

    String stdout() {
      StringBuilder sb = new StringBuilder();
      frames.stream().filter(f -> f.type() == FrameType.STDOUT).forEach(f -> sb.append(f.text()));
      return sb.toString();
    }

    int exit() {
      return frames.stream().filter(f -> f.type() == FrameType.EXIT).findFirst().orElseThrow().exitCode();
    }

    String error() {
      return frames.stream().filter(f -> f.type() == FrameType.ERROR).findFirst().map(Frame::text).orElse(null);
    }
  }

  private void eventually(Runnable check) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  private void nothingDisposableLeft() throws InterruptedException {
    eventually(() -> {
      assertThat(m.store.qubes()).noneMatch(q -> q.klass() == QubeClass.DispVM);
      assertThat(m.runtime.running).doesNotContainKeys(m.runtime.removed.toArray(String[]::new));
      assertThat(m.runtime.openExecs.get()).isZero();
    });
  }

  @Test
  void rootIsForTemplateVmsOnlyAndReachesTheAgentAsTheRequestsUser() throws Exception {
    Call root = new Call().open("debian-12").send("{\"argv\":[\"whoami\"],\"user\":\"root\"}");
    root.finish();
    assertThat(root.stdout()).isEqualTo("root\n");
    Call user = new Call().open("debian-12").send("{\"argv\":[\"whoami\"],\"user\":\"user\"}");
    user.finish();
    assertThat(user.stdout()).isEqualTo("user\n");
    Call app = new Call().open("work").send("{\"argv\":[\"whoami\"],\"user\":\"root\"}");
    app.finish();
    assertThat(app.error()).contains("qube 'work' is a AppVM and has no root user");
    assertThat(app.exit()).isEqualTo(126);
    assertThat(m.runtime.running).as("refused before anything started").doesNotContainKey("work");
    Call disp = new Call().open("@dispvm").send("{\"argv\":[\"whoami\"],\"user\":\"root\"}");
    disp.finish();
    assertThat(disp.error()).contains("a disposable has no root user");
    assertThat(m.runtime.started).noneMatch(s -> s.klass().equals("DispVM"));
    Call bad = new Call().open("debian-12").send("{\"argv\":[\"whoami\"],\"user\":\"0\"}");
    bad.finish();
    assertThat(bad.error()).contains("user");
    assertThat(bad.exit()).isEqualTo(126);
  }

  @Test
  void runsInAHaltedQubeAfterStartingIt() throws Exception {
    Call c = new Call().open("work").send("{\"argv\":[\"echo\",\"hello\",\"world\"]}");
    c.finish();
    assertThat(c.stdout()).isEqualTo("hello world\n");
    assertThat(c.exit()).isZero();
    assertThat(m.runtime.running).containsKey("work");
  }

  @Test
  void thePolicyDecidesQubesVmShellFromTheMaster() throws Exception {
    m.server.services().policy().replace("30-user", """
        qubes.VMShell * @adminvm work deny
        qubes.VMShell * @adminvm @dispvm:debian-12 allow target=work
        """);
    Call c = new Call().open("work").send("{\"argv\":[\"echo\",\"hello\"]}");
    c.finish();
    assertThat(c.exit()).isEqualTo(126);
    assertThat(c.error()).contains("the policy refuses qubes.VMShell from @adminvm to work")
        .contains("30-user.policy:1");
    assertThat(c.stdout()).isEmpty();
    assertThat(m.runtime.running).doesNotContainKey("work"); // not even started
    // a rule that sends the shell elsewhere is not followed
    Call d = new Call().open("@dispvm").send("{\"argv\":[\"echo\",\"hello\"]}");
    d.finish();
    assertThat(d.exit()).isEqualTo(126);
    assertThat(d.error()).contains("qair run goes only to @dispvm:debian-12");
    nothingDisposableLeft();
  }

  @Test
  void stdinIsRelayedBothWays() throws Exception {
    Call c = new Call().open("work").send("{\"argv\":[\"cat\"]}");
    c.send(new Frame(FrameType.STDIN, "one ".getBytes(StandardCharsets.UTF_8)));
    c.send(new Frame(FrameType.STDIN, "two".getBytes(StandardCharsets.UTF_8)));
    c.send(Frame.eof(FrameType.STDIN));
    c.finish();
    assertThat(c.stdout()).isEqualTo("one two");
    assertThat(c.exit()).isZero();
  }

  @Test
  void everythingTheAgentSentBeforeClosingReachesTheClient() throws Exception {
    Call c = new Call().open("work").send("{\"argv\":[\"flood\",\"8000000\"]}");
    c.finish();
    assertThat(c.stdout()).hasSize(8_000_000);
    assertThat(c.exit()).isZero();
  }

  @Test
  void theExitCodeIsRelayed() throws Exception {
    Call c = new Call().open("work").send("{\"argv\":[\"exit\",\"42\"]}");
    c.finish();
    assertThat(c.exit()).isEqualTo(42);
  }

  @Test
  void aDisposableIsDestroyedAfterTheCall() throws Exception {
    Call c = new Call().open("@dispvm").send("{\"argv\":[\"echo\",\"hi\"]}");
    c.finish();
    assertThat(c.stdout()).isEqualTo("hi\n");
    assertThat(m.runtime.started).singleElement().satisfies(s -> {
      assertThat(s.klass()).isEqualTo("DispVM");
      assertThat(s.name()).matches("disp\\d{4}");
      assertThat(s.template()).isEqualTo("debian-12");
    });
    nothingDisposableLeft();
    assertThat(m.runtime.removed).containsExactly(m.runtime.started.get(0).name());
  }

  @Test
  void aDisposableIsDestroyedWhenTheClientGoesAway() throws Exception {
    Call c = new Call().open("@dispvm:debian-12").send("{\"argv\":[\"sleep\"]}");
    eventually(() -> assertThat(m.runtime.openExecs.get()).isEqualTo(1));
    c.ws.abort();
    nothingDisposableLeft();
    assertThat(m.runtime.removed).hasSize(1);
  }

  @Test
  void disposablesLeftBehindByACrashAreSwept() throws Exception {
    m.store.write(tx -> {
      tx.insertQube(new io.qair.controlplane.store.QubeRow("disp0042", QubeClass.DispVM, "local",
          io.qair.protocol.Label.RED, "debian-12", null, 400, 2, io.qair.protocol.QubeState.RUNNING, 0));
      tx.setFeature("disp0042", io.qair.controlplane.qube.Disposables.MARK, "1");
      tx.insertQube(new io.qair.controlplane.store.QubeRow("named", QubeClass.DispVM, "local",
          io.qair.protocol.Label.RED, "debian-12", null, 400, 2, io.qair.protocol.QubeState.HALTED, 0));
      return null;
    });
    TestMaster.await(m.server.services().disposables().sweep());
    assertThat(m.store.qube("disp0042")).isEmpty();
    assertThat(m.store.qube("named")).isPresent();
    assertThat(m.runtime.removed).containsExactly("disp0042");
  }

  @Test
  void aDisposableThatFailsToStartIsDestroyedAndTheClientToldWhy() throws Exception {
    m.runtime.failStart = "*";
    Call c = new Call().open("@dispvm").send("{\"argv\":[\"echo\",\"hi\"]}");
    c.finish();
    assertThat(c.error()).contains("could not start in zone 'local': sandbox failed");
    assertThat(c.exit()).isEqualTo(126);
    nothingDisposableLeft();
  }

  @Test
  void anUnknownTemplateForADisposableIsToldAndNothingIsMade() throws Exception {
    Call c = new Call().open("@dispvm:arch").send("{\"argv\":[\"echo\",\"hi\"]}");
    c.finish();
    assertThat(c.error()).contains("unknown template 'arch'");
    assertThat(c.exit()).isEqualTo(126);
    assertThat(m.runtime.started).isEmpty();
  }

  @Test
  void aBadExecRequestIsRefusedNamingTheField() throws Exception {
    Call c = new Call().open("work").send("{\"argv\":[\"echo\"],\"cwd\":\"/\"}");
    c.finish();
    assertThat(c.error()).contains("unknown field 'cwd'");
    assertThat(c.exit()).isEqualTo(126);
    Call d = new Call().open("work").send("{\"argv\":[]}");
    d.finish();
    assertThat(d.error()).contains("field 'argv' needs at least 1 item(s)");
  }

  @Test
  void theFirstMessageMustBeTheRequest() throws Exception {
    Call c = new Call().open("work").send(Frame.eof(FrameType.STDIN));
    c.finish();
    assertThat(c.error()).contains("the first message of an exec call must be the ExecRequest");
  }

  @Test
  void anUnknownQubeIsRefusedBeforeTheUpgrade() {
    assertThatThrownBy(() -> new Call().open("ghost"))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
  }
}
