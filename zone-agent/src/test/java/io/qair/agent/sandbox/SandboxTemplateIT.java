package io.qair.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TemplateVM started writable changes what its AppVMs see; a StandaloneVM has its own root. Uses a
 * hard-linked copy of the test template with a world-writable {@code /opt}: the qube user cannot
 * write root-owned files, so the shared template files stay untouched.
 */
class SandboxTemplateIT {
  private static SandboxFixture fixture;
  private static SandboxIsolationBackend backend;
  private static Path tvmRoot;

  @BeforeAll
  static void setUp() throws Exception {
    fixture = new SandboxFixture();
    tvmRoot = fixture.config.templatesDir().resolve("tvm/root");
    Files.createDirectories(tvmRoot.getParent());
    Process cp = new ProcessBuilder("cp", "-al", SandboxFixture.templateRoot() + "/.", tvmRoot.toString()).inheritIO().start();
    assertThat(cp.waitFor()).isZero();
    Files.setPosixFilePermissions(tvmRoot.resolve("opt"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    backend = fixture.newBackend();
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (String q : List.of("tvm", "tvm-app", "tvm-solo")) {
      try {
        backend.shutdown(q, Duration.ofSeconds(2));
        backend.removeVolumes(q);
      } catch (RuntimeException e) {
        // never started
      }
    }
    backend.close();
    new ProcessBuilder("rm", "-rf", fixture.config.templatesDir().resolve("tvm").toString()).start().waitFor();
    fixture.close();
  }

  private static String sh(String qube, String script) {
    RecordingListener l = new RecordingListener();
    backend.exec(qube, new ExecRequest(List.of("sh", "-c", script), Map.of()), l).closeStdin();
    l.exitCode();
    return l.stdout() + l.stderr();
  }

  private static void start(String name, String klass, String template) {
    backend.start(new QubeSpec(name, klass, template, "black", 256, 1, null, Map.of()));
  }

  @Test
  void templateChangesReachItsAppVmsAndStandaloneKeepsItsOwnRoot() throws Exception {
    start("tvm", "TemplateVM", "tvm");
    assertThat(sh("tvm", "echo v1 > /opt/installed && echo written")).isEqualTo("written\n");
    backend.shutdown("tvm", Duration.ofSeconds(2));
    assertThat(tvmRoot.resolve("opt/installed")).hasContent("v1");

    start("tvm-app", "AppVM", "tvm");
    assertThat(sh("tvm-app", "cat /opt/installed; (echo x > /opt/other) 2>/dev/null || echo read-only"))
        .isEqualTo("v1\nread-only\n");

    start("tvm-solo", "StandaloneVM", "tvm");
    assertThat(fixture.config.dataDir().resolve("qubes/tvm-solo/root/opt/installed")).hasContent("v1");
    assertThat(sh("tvm-solo", "echo mine > /opt/installed && cat /opt/installed")).isEqualTo("mine\n");
    assertThat(tvmRoot.resolve("opt/installed")).as("the template is not touched").hasContent("v1");
    backend.shutdown("tvm-solo", Duration.ofSeconds(2));
    start("tvm-solo", "StandaloneVM", "tvm");
    assertThat(sh("tvm-solo", "cat /opt/installed")).as("the standalone root persists").isEqualTo("mine\n");
  }
}
