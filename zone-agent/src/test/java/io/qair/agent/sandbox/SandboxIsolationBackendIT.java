package io.qair.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.agent.spi.IsolationBackend;
import io.qair.agent.spi.IsolationBackendContract;
import io.qair.agent.spi.IsolationBackends;
import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The isolation contract, for real, with bubblewrap sandboxes. */
class SandboxIsolationBackendIT extends IsolationBackendContract {
  private static SandboxFixture fixture;
  private static SandboxIsolationBackend backend;

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

  @Override
  protected IsolationBackend backend() {
    return backend;
  }

  @Override
  protected String template() {
    return SandboxFixture.TEMPLATE;
  }

  @Test
  void serviceLoaderFindsTheSandboxBackendHere() {
    IsolationBackend b = IsolationBackends.select("sandbox");
    assertThat(b).isInstanceOf(SandboxIsolationBackend.class);
    assertThat(b.applicability().applicable()).isTrue();
  }

  @Test
  void templatesAreListed() {
    assertThat(backend.templates()).extracting(t -> t.name()).contains(SandboxFixture.TEMPLATE);
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  /** Timing log: disposable start, exec true, shutdown, remove. Printed, never asserted. */
  @Test
  void disposableRoundTripTiming() {
    int warmUp = 5;
    int n = 30;
    List<Double> total = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    for (int i = -warmUp; i < n; i++) {
      long t0 = System.nanoTime();
      backend.start(new QubeSpec("c-timing", "DispVM", template(), "red", 256, 1, null, Map.of()));
      long t1 = System.nanoTime();
      RecordingListener l = new RecordingListener();
      backend.exec("c-timing", new ExecRequest(List.of("true"), Map.of()), l).closeStdin();
      assertThat(l.exitCode()).isZero();
      long t2 = System.nanoTime();
      backend.shutdown("c-timing", Duration.ofSeconds(5));
      long t3 = System.nanoTime();
      backend.removeVolumes("c-timing");
      long t4 = System.nanoTime();
      if (i < 0) {
        continue; // warm-up: class loading and JIT
      }
      total.add((t4 - t0) / 1e6);
      rows.add(String.format("start %.1f ms, exec %.1f ms, shutdown %.1f ms, remove %.1f ms, total %.1f ms",
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t4 - t0) / 1e6));
    }
    rows.forEach(r -> System.out.println("[timing] " + r));
    List<Double> sorted = new ArrayList<>(total);
    Collections.sort(sorted);
    System.out.printf("[timing] disposable round trip: N=%d p50=%.1f ms p90=%.1f ms min=%.1f ms max=%.1f ms"
        + " (load average %s)%n", n, sorted.get(n / 2), sorted.get(n * 9 / 10), sorted.get(0), sorted.get(n - 1),
        loadAverage());
  }
}
