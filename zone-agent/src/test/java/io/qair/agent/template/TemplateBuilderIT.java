package io.qair.agent.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build sandbox, with a stand-in for debootstrap (no network in tests). */
class TemplateBuilderIT {
  @TempDir
  Path tmp;

  @Test
  void bootstrapWritesOnlyItsTargetAndTheTemplateGetsADigest() throws Exception {
    Path escape = Path.of("/var/tmp/qair-template-escape-" + ProcessHandle.current().pid());
    String digest = TemplateBuilder.create(tmp).build("mini", List.of("sh", "-c",
        "mkdir -p {target}/etc && echo mini > {target}/etc/hostname"
            + " && (echo x > " + escape + " || true) && (echo y > " + tmp.resolve("outside") + " || true)"));
    assertThat(tmp.resolve("mini/root/etc/hostname")).hasContent("mini");
    assertThat(escape).doesNotExist();
    assertThat(tmp.resolve("outside")).doesNotExist();
    assertThat(tmp.resolve("mini/root.building")).doesNotExist();
    assertThat(TemplateStore.open(tmp).list()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("mini");
      assertThat(t.digest()).isEqualTo(digest);
      assertThat(t.sizeBytes()).isEqualTo(5);
    });
  }

  @Test
  void bootstrapHasWhatDebootstrapNeedsInsideTheTarget() {
    // debootstrap creates device nodes, mounts /proc in the target and chowns files
    TemplateBuilder.create(tmp).build("caps", List.of("sh", "-c",
        "set -e; mknod {target}/null c 1 3; mkdir {target}/proc; mount -t proc proc {target}/proc;"
            + " test -r {target}/proc/self/status; umount {target}/proc; touch {target}/f; chown 100:100 {target}/f"));
    assertThat(tmp.resolve("caps/root/null")).exists();
    assertThat(tmp.resolve("caps/root/f")).exists();
  }

  @Test
  void failedBootstrapKeepsThePreviousRoot() throws Exception {
    TemplateBuilder b = TemplateBuilder.create(tmp);
    b.build("mini", List.of("sh", "-c", "echo one > {target}/v"));
    assertThatThrownBy(() -> b.build("mini", List.of("sh", "-c", "echo two > {target}/v; exit 3")))
        .hasMessageContaining("exit 3");
    assertThat(tmp.resolve("mini/root/v")).hasContent("one");
  }
}
