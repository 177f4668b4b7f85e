package io.qair.cloud.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qair.cloud.spi.Bootstrap;
import io.qair.protocol.QairException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class HostSetupTest {
  static final String SHA = "0123456789abcdef".repeat(4);
  static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIBxTCCAWugAwIBAgIU\n-----END CERTIFICATE-----\n";
  static final String FP = "ab".repeat(32);
  @TempDir Path tmp;

  HostSetup setup() {
    return new HostSetup("eu1", 7444, new Bootstrap("tok-3xZ_q", PEM, FP, "master-1"),
        AgentDistribution.parse("https://bucket.s3.amazonaws.com/qair-zone-agent.tar.gz?X-Amz-Signature=abc&x='y", SHA));
  }

  @SuppressWarnings("unchecked")
  @Test
  void theCloudConfigInstallsThePackagesAndWritesTheTokenOwnerOnly() {
    String yaml = setup().cloudConfig();
    assertThat(yaml).startsWith("#cloud-config\n");
    Map<String, Object> doc = new Yaml().load(yaml);
    assertThat((List<String>) doc.get("packages")).contains("openjdk-17-jre-headless", "bubblewrap", "util-linux",
        "debootstrap", "tigervnc-standalone-server");
    List<Map<String, Object>> files = (List<Map<String, Object>>) doc.get("write_files");
    Map<String, Object> token = file(files, HostSetup.TOKEN_FILE);
    assertThat(token).containsEntry("permissions", "0600").containsEntry("owner", "root:root");
    assertThat(decoded(token)).isEqualTo("tok-3xZ_q\n");
    assertThat(decoded(file(files, HostSetup.CA_FILE))).isEqualTo(PEM);
    assertThat(decoded(file(files, HostSetup.FINGERPRINT_FILE))).isEqualTo(FP + "\n");
    assertThat(file(files, HostSetup.INSTALL_SCRIPT)).containsEntry("permissions", "0700");
    assertThat((List<Object>) doc.get("runcmd")).containsExactly(List.of(HostSetup.INSTALL_SCRIPT));
  }

  @SuppressWarnings("unchecked")
  @Test
  void theUnitRunsTheAgentWithTheFlagsAgentConfigKnows() {
    List<Map<String, Object>> files = (List<Map<String, Object>>) new Yaml().<Map<String, Object>>load(
        setup().cloudConfig()).get("write_files");
    String unit = decoded(file(files, HostSetup.UNIT_FILE));
    assertThat(unit).contains("ExecStart=/usr/bin/java -cp /opt/qair-agent/qair-zone-agent.jar:/opt/qair-agent/lib/*"
        + " io.qair.agent.AgentMain --data-dir /var/lib/qair-agent --zone eu1 --listen 0.0.0.0:7444"
        + " --ca-cert /etc/qair-agent/ca.pem --ca-fingerprint " + FP + " --token-file /etc/qair-agent/enroll.token\n")
        .contains("WantedBy=multi-user.target", "Restart=on-failure");
  }

  @Test
  void theInstallScriptChecksTheDigestBeforeItUnpacksOrStartsAnything() {
    String script = setup().installScript();
    int check = script.indexOf("sha256sum -c");
    assertThat(check).isPositive();
    assertThat(script.indexOf("exit 1", check)).isLessThan(script.indexOf("tar -xzf"));
    assertThat(script.indexOf("tar -xzf")).isLessThan(script.indexOf("systemctl enable --now qair-agent.service"));
    assertThat(script).contains("echo '" + SHA + "  '").contains("set -eu")
        // the quote in the URL is escaped for sh
        .contains("x='\\''y'");
  }

  @Test
  void theInstallScriptRefusesAnArchiveWithAnotherDigest() throws Exception {
    // run the script's download-and-verify part for real, with curl fetching a local file
    String script = setup().installScript();
    String verify = script.substring(script.indexOf("archive=$(mktemp"), script.indexOf("rm -rf /opt/qair-agent"));
    Path archive = Files.writeString(tmp.resolve("agent.tar.gz"), "not the agent");
    verify = verify.replace("curl -fsSL --retry 5 --proto '=https,http' -o \"$archive\"", "cp " + archive + " \"$archive\" #");
    Process p = new ProcessBuilder("sh", "-euc", verify + "\necho installed\n").redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(out).contains("refusing to install").doesNotContain("installed\n");
  }

  @Test
  void theStartupScriptIsValidShellWritingTheSameFiles() throws Exception {
    String sh = setup().shellScript();
    assertThat(sh).startsWith("#!/bin/sh\n").contains("chmod 0600 " + HostSetup.TOKEN_FILE)
        .contains("exec " + HostSetup.INSTALL_SCRIPT).contains("[ -e " + HostSetup.DONE_MARKER + " ] && exit 0");
    Path f = Files.writeString(tmp.resolve("startup.sh"), sh);
    Process p = new ProcessBuilder("sh", "-n", f.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }

  @Test
  void cloudInitAcceptsTheUserData() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/cloud-init")), "the cloud-init package is not installed");
    Path f = Files.writeString(tmp.resolve("user-data"), setup().cloudConfig());
    Process p = new ProcessBuilder("cloud-init", "schema", "--config-file", f.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("Valid");
  }

  @Test
  void aBadDistributionIsRefusedWithWhatToDo() {
    assertThatThrownBy(() -> AgentDistribution.parse("ftp://x/y.tar.gz", SHA)).isInstanceOf(QairException.class)
        .hasMessageContaining("https://");
    assertThatThrownBy(() -> AgentDistribution.parse("https://x/y.tar.gz", "abc")).hasMessageContaining("sha256sum");
    assertThat(AgentDistribution.parse("https://x/y.tar.gz?sig=secret", SHA).toString()).doesNotContain("secret");
  }

  private static Map<String, Object> file(List<Map<String, Object>> files, String path) {
    return files.stream().filter(f -> path.equals(f.get("path"))).findFirst().orElseThrow();
  }

  private static String decoded(Map<String, Object> file) {
    assertThat(file).containsEntry("encoding", "b64");
    return new String(Base64.getDecoder().decode((String) file.get("content")), StandardCharsets.UTF_8);
  }
}
