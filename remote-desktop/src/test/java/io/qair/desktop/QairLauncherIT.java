package io.qair.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's product command as a user runs it: {@code ./qair up} from the packaged jars (so a
 * dependency missing from the distribution fails here, not on a user's machine), the CLI through
 * the launcher, {@code ./qair down}, and state kept across {@code down}/{@code up}.
 */
class QairLauncherIT {
  @TempDir Path home;
  Path repo;
  int port;
  int desktopPort;

  record Run(int exit, String out) {}

  @BeforeEach
  void setUp() throws IOException {
    repo = Path.of("..").toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.isRegularFile(repo.resolve("zone-agent/target/qair-zone-agent-0.1.0-SNAPSHOT.jar")),
        "zone-agent is not packaged");
    Assumptions.assumeTrue(Files.isRegularFile(repo.resolve("remote-desktop/target/qair-remote-desktop-0.1.0-SNAPSHOT.jar")),
        "remote-desktop is not packaged");
    try (ServerSocket s = new ServerSocket(0); ServerSocket d = new ServerSocket(0)) {
      port = s.getLocalPort();
      desktopPort = d.getLocalPort();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    qair("down");
  }

  private Run qair(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("qair").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path template = Path.of(System.getenv().getOrDefault("QAIR_TEST_TEMPLATE_ROOT",
        "/var/cache/qair/templates/debian-12/root"));
    Map<String, String> env = pb.environment();
    env.put("QAIR_HOME", home.toString());
    env.put("QAIR_PORT", String.valueOf(port));
    env.put("QAIR_DESKTOP_PORT", String.valueOf(desktopPort));
    env.remove("QAIR_ENDPOINT");
    env.put("QAIR_SKIP_BUILD", "1");
    env.put("QAIR_TEMPLATE_CACHE", template.getParent().getParent().toString());
    Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), out);
  }

  /** Status line and Location of {@code GET /} on the gateway (its certificate is not checked here). */
  private String desktopAnswer() throws Exception {
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

      public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    }}, null);
    var client = java.net.http.HttpClient.newBuilder().sslContext(ctx)
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
    var resp = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("https://localhost:" + desktopPort + "/")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    return resp.statusCode() + " " + resp.headers().firstValue("location").orElse("");
  }

  @Test
  void upRunsTheProductAndDownStopsItKeepingState() throws Exception {
    Run up = qair("up");
    assertThat(up.exit()).as(up.out()).isZero();
    assertThat(up.out()).contains("local  READY").contains("Desktop: https://localhost:" + desktopPort + "/");
    assertThat(home.resolve("gateway/first-login-password")).exists();
    assertThat(Files.getPosixFilePermissions(home.resolve("gateway/first-login-password")))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(desktopAnswer()).as("the gateway sends a visitor without a session to the login page")
        .startsWith("302 ").contains("/login.html");
    assertThat(qair("up").out()).as("idempotent").contains("master already running");

    assertThat(qair("qube", "create", "work", "--label", "blue").exit()).isZero();
    Run run = qair("run", "work", "--", "sh", "-c", "echo hello > ~/note; cat ~/note");
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).isEqualTo("hello\n");
    assertThat(qair("qube", "create", "9bad", "--label", "blue").exit()).isEqualTo(3);

    long masterPid = Long.parseLong(Files.readString(home.resolve("master/master.pid")).trim());
    long agentPid = Long.parseLong(Files.readString(home.resolve("zones/local/agent.pid")).trim());
    long gatewayPid = Long.parseLong(Files.readString(home.resolve("gateway/gateway.pid")).trim());
    assertThat(qair("down").exit()).isZero();
    assertThat(ProcessHandle.of(masterPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(ProcessHandle.of(agentPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(ProcessHandle.of(gatewayPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(qair("qube", "ls").exit()).as("master down").isEqualTo(7);

    assertThat(qair("up").exit()).isZero();
    assertThat(qair("qube", "ls").out()).containsPattern("work +AppVM +HALTED +local +blue");
    assertThat(qair("run", "work", "--", "cat", "/home/user/note").out()).isEqualTo("hello\n");
  }
}
