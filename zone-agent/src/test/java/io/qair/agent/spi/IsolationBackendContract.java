package io.qair.agent.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every isolation backend must have. A backend's test extends this class and
 * supplies an initialised backend and a template that has a POSIX shell and coreutils.
 */
public abstract class IsolationBackendContract {
  private final List<String> started = new ArrayList<>();

  /** The backend under test, initialised, the same instance for the whole test. */
  protected abstract IsolationBackend backend();

  /** A template installed in the backend's store. */
  protected abstract String template();

  protected QubeSpec spec(String name, String klass) {
    return new QubeSpec(name, klass, klass.equals("TemplateVM") ? name : template(), "red", 256, 1, null, Map.of());
  }

  protected QubeStatus start(String name, String klass) {
    started.add(name);
    return backend().start(spec(name, klass));
  }

  protected RecordingListener run(String qube, String... argv) {
    RecordingListener l = new RecordingListener();
    ExecHandle h = backend().exec(qube, new ExecRequest(List.of(argv), Map.of()), l);
    h.closeStdin();
    l.exitCode();
    return l;
  }

  @AfterEach
  void stopEverything() {
    for (String q : started) {
      try {
        backend().shutdown(q, Duration.ofSeconds(2));
        backend().removeVolumes(q);
      } catch (QairException e) {
        // already gone
      }
    }
  }

  @Test
  void startedQubeRunsCommandsWithExitCodeAndBothStreams() {
    assertThat(start("c-run", "AppVM").state()).isEqualTo("RUNNING");
    RecordingListener l = run("c-run", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertThat(l.exitCode()).isEqualTo(3);
    assertThat(l.stdout()).isEqualTo("out\n");
    assertThat(l.stderr()).isEqualTo("err\n");
    assertThat(l.events).containsSubsequence("eof-stdout", "exit").containsSubsequence("eof-stderr", "exit");
    assertThat(backend().status("c-run").state()).isEqualTo("RUNNING");
  }

  @Test
  void commandRunsAsUnprivilegedUserInHomeWithGivenEnvironment() {
    start("c-env", "AppVM");
    RecordingListener l = new RecordingListener();
    backend().exec("c-env", new ExecRequest(List.of("sh", "-c", "id -u; pwd; echo $QREXEC_REMOTE_DOMAIN; echo $HOME"),
        Map.of("QREXEC_REMOTE_DOMAIN", "work")), l).closeStdin();
    assertThat(l.exitCode()).isZero();
    assertThat(l.stdout()).isEqualTo("1000\n/home/user\nwork\n/home/user\n");
  }

  @Test
  void stdinIsStreamedToTheCommandAndLargeOutputArrivesWhole() {
    start("c-cat", "AppVM");
    RecordingListener l = new RecordingListener();
    ExecHandle h = backend().exec("c-cat", new ExecRequest(List.of("cat"), Map.of()), l);
    byte[] chunk = new byte[100_000];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) ('a' + i % 26);
    }
    for (int i = 0; i < 10; i++) {
      h.stdin(chunk);
    }
    h.closeStdin();
    assertThat(l.exitCode()).isZero();
    byte[] got = l.stdoutBytes();
    assertThat(got).hasSize(1_000_000);
    assertThat(Arrays.copyOfRange(got, 900_000, 1_000_000)).isEqualTo(chunk);
    assertThat(l.threads.stream().distinct().count()).as("one callback thread per command").isEqualTo(1);
  }

  @Test
  void unknownCommandExits127() {
    start("c-127", "AppVM");
    RecordingListener l = run("c-127", "no-such-command-anywhere");
    assertThat(l.exitCode()).isEqualTo(127);
    assertThat(l.stderr()).contains("no-such-command-anywhere");
  }

  @Test
  void killStopsTheCommandButNotTheQube() {
    start("c-kill", "AppVM");
    RecordingListener l = new RecordingListener();
    ExecHandle h = backend().exec("c-kill", new ExecRequest(List.of("sleep", "100"), Map.of()), l);
    long t0 = System.nanoTime();
    h.kill();
    assertThat(l.exitCode()).isEqualTo(137);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
    assertThat(run("c-kill", "true").exitCode()).isZero();
  }

  @Test
  void slowListenerSlowsTheCommandWithoutLosingOutput() {
    start("c-slow", "AppVM");
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    RecordingListener slow = new RecordingListener() {
      @Override
      public void onStdout(byte[] data) {
        sizes.add(data.length);
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.onStdout(data);
      }
    };
    backend().exec("c-slow", new ExecRequest(List.of("head", "-c", "3000000", "/dev/zero"), Map.of()), slow).closeStdin();
    assertThat(slow.exitCode()).isZero();
    assertThat(slow.stdoutBytes()).hasSize(3_000_000);
    assertThat(sizes).allMatch(n -> n <= 65536);
  }

  @Test
  void secondStartIsAConflict() {
    start("c-twice", "AppVM");
    assertThatThrownBy(() -> start("c-twice", "AppVM"))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
  }

  @Test
  void unknownQubeIsNotFoundAndHaltedQubeCannotExec() {
    assertThatThrownBy(() -> backend().status("c-never"))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    assertThatThrownBy(() -> backend().exec("c-never", new ExecRequest(List.of("true"), Map.of()), new RecordingListener()))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    start("c-halted", "AppVM");
    backend().shutdown("c-halted", Duration.ofSeconds(2));
    assertThatThrownBy(() -> backend().exec("c-halted", new ExecRequest(List.of("true"), Map.of()), new RecordingListener()))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
  }

  @Test
  void badRequestsAreRejected() {
    start("c-bad", "AppVM");
    assertThatThrownBy(() -> backend().exec("c-bad", new ExecRequest(List.of(), Map.of()), new RecordingListener()))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
    assertThatThrownBy(() -> backend().exec("c-bad", new ExecRequest(List.of("a\0b"), Map.of()), new RecordingListener()))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
    assertThatThrownBy(() -> backend().start(new QubeSpec("../etc", "AppVM", template(), "red", 256, 1, null, Map.of())))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
    assertThatThrownBy(() -> backend().start(new QubeSpec("c-notpl", "AppVM", "no-such-template", "red", 256, 1, null, Map.of())))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
  }

  @Test
  void shutdownHaltsAndStateChangesAreReportedInOrder() {
    List<String> seen = new CopyOnWriteArrayList<>();
    backend().onStateChange(s -> {
      if (s.name().equals("c-events")) {
        seen.add(s.state());
      }
    });
    start("c-events", "AppVM");
    QubeStatus halted = backend().shutdown("c-events", Duration.ofSeconds(5));
    assertThat(halted.state()).isEqualTo("HALTED");
    assertThat(backend().status("c-events").state()).isEqualTo("HALTED");
    assertThat(seen).containsExactly("STARTING", "RUNNING", "HALTING", "HALTED");
    assertThat(backend().list()).extracting(QubeStatus::name).contains("c-events");
  }

  @Test
  void volumesOfARunningQubeCannotBeRemovedAndRemoveIsIdempotent() {
    start("c-vol", "AppVM");
    assertThatThrownBy(() -> backend().removeVolumes("c-vol"))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    backend().shutdown("c-vol", Duration.ofSeconds(2));
    backend().removeVolumes("c-vol");
    backend().removeVolumes("c-vol");
    assertThatThrownBy(() -> backend().status("c-vol"))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
  }

  @Test
  void privateDataSurvivesRestartAndDisposableLeavesNothing() {
    start("c-keep", "AppVM");
    assertThat(run("c-keep", "sh", "-c", "echo kept > ~/note").exitCode()).isZero();
    backend().shutdown("c-keep", Duration.ofSeconds(2));
    start("c-keep", "AppVM");
    assertThat(run("c-keep", "cat", "/home/user/note").stdout()).isEqualTo("kept\n");

    start("c-disp", "DispVM");
    assertThat(run("c-disp", "sh", "-c", "echo gone > ~/note").exitCode()).isZero();
    backend().shutdown("c-disp", Duration.ofSeconds(2));
    assertThatThrownBy(() -> backend().status("c-disp"))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    start("c-disp", "DispVM");
    assertThat(run("c-disp", "sh", "-c", "ls -A ~ | wc -l").stdout().trim()).isEqualTo("0");
  }

  @Test
  void argumentsArriveVerbatim() {
    start("c-args", "AppVM");
    String odd = "spaces  and 'quotes' \"and\" $dollars ünïcödé";
    RecordingListener l = run("c-args", "printf", "%s|", odd, "");
    assertThat(l.stdout()).isEqualTo(odd + "||");
    assertThat(l.stdoutBytes()).isEqualTo((odd + "||").getBytes(StandardCharsets.UTF_8));
  }
}
