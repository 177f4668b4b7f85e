package io.qair.agent.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateBuilderTest {
  @Test
  void bootstrapRunsWithHostReadOnlyAndOnlyTheTargetWritable() {
    List<String> cmd = TemplateBuilder.command(Path.of("/srv/t/debian-12/root.building"),
        List.of("debootstrap", "--variant=minbase", "bookworm", "{target}", "http://deb.debian.org/debian"));
    String line = String.join(" ", cmd);
    assertThat(cmd.get(0)).isEqualTo("bwrap");
    assertThat(line).contains("--unshare-pid --unshare-ipc --unshare-uts --unshare-cgroup")
        .contains("--ro-bind / / ")
        .contains("--dev-bind /srv/t/debian-12/root.building /srv/t/debian-12/root.building")
        .doesNotContain("--unshare-net")
        .endsWith("-- debootstrap --variant=minbase bookworm /srv/t/debian-12/root.building http://deb.debian.org/debian");
    assertThat(line.indexOf("--ro-bind / /")).isLessThan(line.indexOf("--dev-bind /srv"));
  }
}
