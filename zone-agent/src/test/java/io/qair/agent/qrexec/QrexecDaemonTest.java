package io.qair.agent.qrexec;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.agent.server.FakeIsolationBackend;
import io.qair.agent.spi.CallChannel;
import io.qair.protocol.agent.QrexecMessage;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent's half of a call, with a fake backend and a scripted master. */
class QrexecDaemonTest {
  FakeIsolationBackend backend;
  Master master;
  final RelayedCalls relays = new RelayedCalls(java.util.concurrent.ForkJoinPool.commonPool());

  /** A scripted master that records what it was asked and told. */
  static final class Master implements CallDecisions {
    final List<QrexecMessage> asked = new CopyOnWriteArrayList<>();
    final List<String> ended = new CopyOnWriteArrayList<>();
    volatile Function<QrexecMessage, CompletableFuture<QrexecMessage>> answer;

    @Override
    public CompletableFuture<QrexecMessage> ask(QrexecMessage call) {
      asked.add(call);
      return answer.apply(call);
    }

    @Override
    public void ended(String id, int exitCode) {
      ended.add(id + ":" + exitCode);
    }

    @Override
    public void forget(String id) {}
  }

  /** The caller's end: frames it will send, frames it got. */
  static final class Caller implements CallChannel {
    final BlockingQueue<Optional<Frame>> in = new LinkedBlockingQueue<>();
    final List<Frame> out = new CopyOnWriteArrayList<>();

    Caller sends(String stdin) {
      in.add(Optional.of(new Frame(FrameType.STDIN, stdin.getBytes(StandardCharsets.UTF_8))));
      in.add(Optional.of(Frame.eof(FrameType.STDIN)));
      return this;
    }

    @Override
    public Optional<Frame> read() throws java.io.IOException {
      try {
        Optional<Frame> f = in.take();
        if (f == null) {
          throw new java.io.IOException("closed");
        }
        return f;
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

    int exit() {
      return out.get(out.size() - 1).exitCode();
    }

    String text(FrameType type) {
      StringBuilder sb = new StringBuilder();
      out.stream().filter(f -> f.type() == type).forEach(f -> sb.append(f.text()));
      return sb.toString();
    }
  }

  @BeforeEach
  void setUp() {
    backend = new FakeIsolationBackend();
    backend.start(new QubeSpec("personal", "AppVM", "debian-12", "green", 256, 1, null, java.util.Map.of()));
    master = new Master();
  }

  private static byte[] call(String target, String service) {
    return (target + "\0" + service + "\0").getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void anAllowedCallRunsTheServiceAndJoinsTheEnds() {
    master.answer = c -> CompletableFuture.completedFuture(QrexecMessage.allow(c.id(), "personal", null));
    Caller caller = new Caller().sends("hello");
    new QrexecDaemon(backend, master, relays, QrexecDaemon.DECISION_TIMEOUT_MS).onCall("work", call("personal", "test.Echo+x"), caller);
    assertThat(master.asked).singleElement().satisfies(m -> {
      assertThat(m.source()).isEqualTo("work");
      assertThat(m.target()).isEqualTo("personal");
      assertThat(m.service()).isEqualTo("test.Echo");
      assertThat(m.argument()).isEqualTo("x");
    });
    assertThat(caller.text(FrameType.STDOUT)).isEqualTo("hello");
    assertThat(caller.exit()).isZero();
    assertThat(master.ended).containsExactly(master.asked.get(0).id() + ":0");
  }

  @Test
  void aRefusalIs126WithTheReasonAndNothingRuns() {
    master.answer = c -> CompletableFuture.completedFuture(QrexecMessage.deny(c.id(), "denied by 30-user.policy:2"));
    Caller caller = new Caller().sends("hello");
    new QrexecDaemon(backend, master, relays, QrexecDaemon.DECISION_TIMEOUT_MS).onCall("work", call("personal", "test.Echo"), caller);
    assertThat(caller.out).extracting(Frame::type).containsExactly(FrameType.ERROR, FrameType.EXIT);
    assertThat(caller.out.get(0).text()).isEqualTo("request refused: denied by 30-user.policy:2");
    assertThat(caller.exit()).isEqualTo(126);
  }

  @Test
  void noDecisionInTimeIsARefusal() {
    master.answer = c -> new CompletableFuture<>();
    Caller caller = new Caller();
    new QrexecDaemon(backend, master, relays, 200).onCall("work", call("personal", "test.Echo"), caller);
    assertThat(caller.exit()).isEqualTo(126);
    assertThat(caller.out.get(0).text()).contains("no decision within");
  }

  @Test
  void anAllowedTargetThatCannotRunItIsARefusal() {
    master.answer = c -> CompletableFuture.completedFuture(QrexecMessage.allow(c.id(), "halted", null));
    Caller caller = new Caller();
    new QrexecDaemon(backend, master, relays, QrexecDaemon.DECISION_TIMEOUT_MS).onCall("work", call("halted", "test.Echo"), caller);
    assertThat(caller.exit()).isEqualTo(126);
    assertThat(caller.out.get(0).text()).contains("could not run the service");
  }

  @Test
  void anotherUserThanTheQubesIsRefused() {
    master.answer = c -> CompletableFuture.completedFuture(QrexecMessage.allow(c.id(), "personal", "root"));
    Caller caller = new Caller();
    new QrexecDaemon(backend, master, relays, QrexecDaemon.DECISION_TIMEOUT_MS).onCall("work", call("personal", "test.Echo"), caller);
    assertThat(caller.exit()).isEqualTo(126);
    assertThat(caller.out.get(0).text()).contains("user=root is not supported");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "personal", "personal\0test.Echo", "personal\0test Echo\0", "pers/onal\0test.Echo\0",
      "personal\0.hidden\0", "personal\0test.Echo\0extra\0", "personal\0test.Echo+a/b\0", "personal\0\0"})
  void malformedCallsAreRefusedBeforeTheMasterIsAsked(String payload) {
    master.answer = c -> CompletableFuture.completedFuture(QrexecMessage.allow(c.id(), "personal", null));
    Caller caller = new Caller();
    new QrexecDaemon(backend, master, relays, QrexecDaemon.DECISION_TIMEOUT_MS).onCall("work", payload.getBytes(StandardCharsets.ISO_8859_1), caller);
    assertThat(caller.exit()).isEqualTo(126);
    assertThat(caller.out.get(0).text()).startsWith("malformed call");
    assertThat(master.asked).isEmpty();
  }

  @Test
  void wellFormedCallsParse() {
    List<String> ok = new ArrayList<>();
    for (String p : List.of("@dispvm\0qubes.OpenURL\0", "\0qubes.GetDate\0", "@dispvm:debian-12\0a.b+c+d\0",
        "dom0\0qubes.Filecopy+\0")) {
      CallRequest.parse(p.getBytes(StandardCharsets.ISO_8859_1)).ifPresent(r -> ok.add(r.target() + "|" + r.call()));
    }
    assertThat(ok).containsExactly("@dispvm|qubes.OpenURL", "|qubes.GetDate", "@dispvm:debian-12|a.b+c+d",
        "dom0|qubes.Filecopy");
  }
}
