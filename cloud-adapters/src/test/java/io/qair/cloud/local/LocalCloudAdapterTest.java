package io.qair.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.cloud.spi.AdapterContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCloudAdapterTest {
  @TempDir Path tmp;

  @Test
  void runsTheAgentFromTheDistWithItsBootstrapFiles() throws Exception {
    Path dist = Files.createDirectories(tmp.resolve("dist"));
    Files.writeString(dist.resolve("qair-zone-agent.jar"), "");
    LocalCloudAdapter a = new LocalCloudAdapter();
    a.init(new AdapterContext(tmp.resolve("zones"), Map.of("agent.dist", dist.toString(),
        "agent.templates-dir", "/t", "java", "/usr/bin/java")));
    assertThat(a.unavailableReason()).isEmpty();
    Path dir = tmp.resolve("zones/work");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("enroll.token"), "x");

    assertThat(a.command("work", dir, "ab12")).containsExactly("/usr/bin/java", "-cp",
        dist.resolve("qair-zone-agent.jar") + ":" + dist.resolve("lib") + "/*", "io.qair.agent.AgentMain",
        "--data-dir", dir.toString(), "--zone", "work", "--listen", "127.0.0.1:0",
        "--ca-cert", dir.resolve("ca.pem").toString(), "--ca-fingerprint", "ab12",
        "--token-file", dir.resolve("enroll.token").toString(), "--backend", "sandbox",
        "--templates-dir", "/t");
  }

  @Test
  void findsTheBuildsVersionedJarAndGuestDaemon() throws Exception {
    Path dist = Files.createDirectories(tmp.resolve("target"));
    Files.writeString(dist.resolve("qair-zone-agent-0.1.0-SNAPSHOT-tests.jar"), "");
    Files.writeString(dist.resolve("qair-zone-agent-0.1.0-SNAPSHOT.jar"), "");
    Files.createDirectories(dist.resolve("guest"));
    Files.writeString(dist.resolve("guest/qair-guest"), "");
    LocalCloudAdapter a = new LocalCloudAdapter();
    a.init(new AdapterContext(tmp.resolve("zones"), Map.of("agent.dist", dist.toString())));
    assertThat(a.unavailableReason()).isEmpty();
    var cmd = a.command("work", tmp.resolve("zones/work"), null);
    assertThat(cmd.get(cmd.indexOf("-cp") + 1)).startsWith(dist.resolve("qair-zone-agent-0.1.0-SNAPSHOT.jar") + ":");
    assertThat(cmd.get(cmd.indexOf("--guest-binary") + 1)).isEqualTo(dist.resolve("guest/qair-guest").toString());
  }

  @Test
  void saysWhyItCannotRunWithoutAnAgentJar() {
    LocalCloudAdapter a = new LocalCloudAdapter();
    a.init(new AdapterContext(tmp.resolve("zones"), Map.of("agent.dist", tmp.resolve("nothing").toString())));
    assertThat(a.unavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("qair-zone-agent.jar"));
  }
}
