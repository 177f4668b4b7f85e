package io.qair.agent.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class IsolationBackendsTest {
  /** A backend that only answers name and applicability. */
  private record Fake(String name, Applicability applicability) implements IsolationBackend {
    @Override public void init(BackendConfig config) {}
    @Override public List<QubeStatus> recover() { return List.of(); }
    @Override public QubeStatus start(QubeSpec spec) { throw new IllegalStateException(); }
    @Override public QubeStatus shutdown(String qube, Duration grace) { throw new IllegalStateException(); }
    @Override public QubeStatus status(String qube) { throw new IllegalStateException(); }
    @Override public List<QubeStatus> list() { return List.of(); }
    @Override public void removeVolumes(String qube) {}
    @Override public ExecHandle exec(String qube, ExecRequest r, ExecListener l) { throw new IllegalStateException(); }
    @Override public List<TemplateInfo> templates() { return List.of(); }
    @Override public void onStateChange(Consumer<QubeStatus> listener) {}
    @Override public void close() {}
  }

  private final Fake qemu = new Fake("qemu", Applicability.no("/dev/kvm is missing"));
  private final Fake sandbox = new Fake("sandbox", Applicability.yes());

  @Test
  void firstApplicableBackendIsChosen() {
    assertThat(IsolationBackends.select(null, List.of(qemu, sandbox))).isSameAs(sandbox);
    assertThat(IsolationBackends.select("sandbox", List.of(qemu, sandbox))).isSameAs(sandbox);
  }

  @Test
  void whenNoneAppliesTheErrorListsEveryCandidateAndWhy() {
    Fake broken = new Fake("sandbox", Applicability.no("'bwrap' is not installed"));
    assertThatThrownBy(() -> IsolationBackends.select(null, List.of(qemu, broken)))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
          assertThat(e.getMessage()).contains("qemu: /dev/kvm is missing").contains("sandbox: 'bwrap' is not installed");
        });
    assertThatThrownBy(() -> IsolationBackends.select("qemu", List.of(qemu, sandbox)))
        .hasMessageContaining("as 'qemu'").hasMessageContaining("qemu: /dev/kvm is missing")
        .hasMessageContaining("sandbox: not the configured backend 'qemu'");
    assertThatThrownBy(() -> IsolationBackends.select(null, List.of())).hasMessageContaining("no backend is installed");
  }

  @Test
  void serviceLoaderKnowsTheSandboxBackend() {
    assertThat(java.util.ServiceLoader.load(IsolationBackend.class).stream().map(p -> p.type().getSimpleName()))
        .contains("SandboxIsolationBackend");
  }
}
