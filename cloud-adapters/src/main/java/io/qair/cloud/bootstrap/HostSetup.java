package io.qair.cloud.bootstrap;

import io.qair.cloud.spi.Bootstrap;
import io.qair.protocol.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The first boot of a cloud zone host, the same on every cloud: Debian packages the agent needs,
 * the enrollment token (0600), the master CA certificate and its pinned fingerprint, and an install
 * script that downloads the agent distribution, checks its SHA-256 (and stops there if it differs),
 * unpacks it and starts the {@code qair-agent} systemd unit. Rendered as cloud-init user-data
 * ({@link #cloudConfig()}) or as a shell script for a GCE {@code startup-script} ({@link #shellScript()});
 * both run the same install script, which runs once per host (a marker file and a lock dir stop a
 * second run, e.g. when both cloud-init and the startup script exist, or at every reboot).
 */
public final class HostSetup {
  public static final String DATA_DIR = "/var/lib/qair-agent";
  public static final String CONFIG_DIR = "/etc/qair-agent";
  public static final String TOKEN_FILE = CONFIG_DIR + "/enroll.token";
  public static final String CA_FILE = CONFIG_DIR + "/ca.pem";
  public static final String FINGERPRINT_FILE = CONFIG_DIR + "/ca.sha256";
  public static final String INSTALL_DIR = "/opt/qair-agent";
  public static final String INSTALL_SCRIPT = "/usr/local/sbin/qair-agent-install";
  public static final String UNIT_FILE = "/etc/systemd/system/qair-agent.service";
  public static final String DONE_MARKER = DATA_DIR + "/.installed";
  /** Java 17 for the agent, the sandbox backend's tools, and the display path (Xvnc, X tools). */
  public static final List<String> PACKAGES = List.of("openjdk-17-jre-headless", "bubblewrap", "util-linux",
      "debootstrap", "ca-certificates", "curl", "tigervnc-standalone-server", "xfonts-base", "x11-utils",
      "xdotool", "xterm");
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f:]{64,95}");

  /** A file written on the host. */
  public record HostFile(String path, String mode, String content) {}

  private final String zone;
  private final int agentPort;
  private final Bootstrap bootstrap;
  private final AgentDistribution dist;

  public HostSetup(String zone, int agentPort, Bootstrap bootstrap, AgentDistribution dist) {
    this.zone = Names.requireZoneName(zone);
    if (agentPort < 1 || agentPort > 65535) {
      throw new IllegalArgumentException("agent port " + agentPort);
    }
    if (bootstrap.caFingerprint() == null || !HEX.matcher(bootstrap.caFingerprint()).matches()) {
      throw new IllegalArgumentException("the CA fingerprint must be a SHA-256 in hex");
    }
    if (bootstrap.token() == null || bootstrap.token().isBlank() || bootstrap.token().contains("\n")) {
      throw new IllegalArgumentException("the enrollment token must be one line");
    }
    this.agentPort = agentPort;
    this.bootstrap = bootstrap;
    this.dist = dist;
  }

  /** The agent's command line as the systemd unit runs it. */
  public List<String> agentCommand() {
    return List.of("/usr/bin/java", "-cp", INSTALL_DIR + "/qair-zone-agent.jar:" + INSTALL_DIR + "/lib/*",
        "io.qair.agent.AgentMain", "--data-dir", DATA_DIR, "--zone", zone, "--listen", "0.0.0.0:" + agentPort,
        "--ca-cert", CA_FILE, "--ca-fingerprint", bootstrap.caFingerprint(), "--token-file", TOKEN_FILE);
  }

  /** Every file the setup writes, the token first. */
  public List<HostFile> files() {
    List<HostFile> files = new ArrayList<>();
    files.add(new HostFile(TOKEN_FILE, "0600", bootstrap.token() + "\n"));
    files.add(new HostFile(CA_FILE, "0644", bootstrap.caCertPem().endsWith("\n")
        ? bootstrap.caCertPem() : bootstrap.caCertPem() + "\n"));
    files.add(new HostFile(FINGERPRINT_FILE, "0644", bootstrap.caFingerprint() + "\n"));
    files.add(new HostFile(UNIT_FILE, "0644", unit()));
    files.add(new HostFile(INSTALL_SCRIPT, "0700", installScript()));
    return files;
  }

  String unit() {
    return "[Unit]\n"
        + "Description=qair zone agent (zone " + zone + ")\n"
        + "Wants=network-online.target\n"
        + "After=network-online.target\n"
        + "\n"
        + "[Service]\n"
        + "ExecStart=" + String.join(" ", agentCommand()) + "\n"
        + "Restart=on-failure\n"
        + "RestartSec=5\n"
        + "\n"
        + "[Install]\n"
        + "WantedBy=multi-user.target\n";
  }

  /** Downloads, verifies (fail closed), unpacks and starts the agent; runs once. */
  String installScript() {
    return "#!/bin/sh\n"
        + "# qair zone agent install: written by the qair master's cloud adapter\n"
        + "set -eu\n"
        + "[ -e " + DONE_MARKER + " ] && exit 0\n"
        + "mkdir /run/qair-agent-install.lock 2>/dev/null || exit 0\n"
        + "trap 'rmdir /run/qair-agent-install.lock' EXIT\n"
        + "export DEBIAN_FRONTEND=noninteractive\n"
        + "apt-get update -q\n"
        + "apt-get install -y -q --no-install-recommends " + String.join(" ", PACKAGES) + "\n"
        + "install -d -m 0700 " + DATA_DIR + "\n"
        + "archive=$(mktemp /tmp/qair-agent.XXXXXX)\n"
        + "curl -fsSL --retry 5 --proto '=https,http' -o \"$archive\" '" + shellQuoted(dist.url().toString()) + "'\n"
        + "if ! echo '" + dist.sha256() + "  '\"$archive\" | sha256sum -c --status -; then\n"
        + "  echo 'qair: the agent distribution does not have SHA-256 " + dist.sha256()
        + "; refusing to install it' >&2\n"
        + "  rm -f \"$archive\"\n"
        + "  exit 1\n"
        + "fi\n"
        + "rm -rf " + INSTALL_DIR + " && install -d -m 0755 " + INSTALL_DIR + "\n"
        + "tar -xzf \"$archive\" -C " + INSTALL_DIR + " --no-same-owner\n"
        + "rm -f \"$archive\"\n"
        + "# accept a tar.gz with one top-level directory, and the build's versioned jar name\n"
        + "top=$(ls -A " + INSTALL_DIR + ")\n"
        + "if [ \"$(echo \"$top\" | wc -l)\" = 1 ] && [ -d " + INSTALL_DIR + "/\"$top\" ]; then\n"
        + "  mv " + INSTALL_DIR + "/\"$top\"/* " + INSTALL_DIR + "/ && rmdir " + INSTALL_DIR + "/\"$top\"\n"
        + "fi\n"
        + "if [ ! -e " + INSTALL_DIR + "/qair-zone-agent.jar ]; then\n"
        + "  jar=$(ls " + INSTALL_DIR + "/qair-zone-agent-*.jar | grep -v -e '-tests.jar$' -e '-sources.jar$' | head -n 1)\n"
        + "  ln -s \"$jar\" " + INSTALL_DIR + "/qair-zone-agent.jar\n"
        + "fi\n"
        + "systemctl daemon-reload\n"
        + "systemctl enable --now qair-agent.service\n"
        + "touch " + DONE_MARKER + "\n";
  }

  /** cloud-init user-data ({@code #cloud-config}): packages, the files, then the install script. */
  public String cloudConfig() {
    StringBuilder y = new StringBuilder("#cloud-config\n");
    y.append("# qair zone host ").append(zone).append(": written by the qair master's cloud adapter\n");
    y.append("package_update: true\n");
    y.append("packages:\n");
    PACKAGES.forEach(p -> y.append("  - ").append(p).append('\n'));
    y.append("write_files:\n");
    for (HostFile f : files()) {
      y.append("  - path: ").append(f.path()).append('\n');
      y.append("    owner: root:root\n");
      y.append("    permissions: '").append(f.mode()).append("'\n");
      y.append("    encoding: b64\n");
      y.append("    content: ").append(b64(f.content())).append('\n');
    }
    y.append("runcmd:\n");
    y.append("  - [").append(INSTALL_SCRIPT).append("]\n");
    return y.toString();
  }

  /** The same setup as a shell script, for hosts that run a startup script instead of cloud-init. */
  public String shellScript() {
    StringBuilder s = new StringBuilder("#!/bin/sh\n");
    s.append("# qair zone host ").append(zone).append(": written by the qair master's cloud adapter\n");
    s.append("set -eu\n");
    s.append("[ -e ").append(DONE_MARKER).append(" ] && exit 0\n");
    s.append("umask 077\n");
    for (HostFile f : files()) {
      String dir = f.path().substring(0, f.path().lastIndexOf('/'));
      s.append("install -d ").append(dir).append('\n');
      s.append("echo '").append(b64(f.content())).append("' | base64 -d > ").append(f.path()).append('\n');
      s.append("chmod ").append(f.mode()).append(' ').append(f.path()).append('\n');
    }
    s.append("exec ").append(INSTALL_SCRIPT).append('\n');
    return s.toString();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String shellQuoted(String s) {
    return s.replace("'", "'\\''");
  }
}
