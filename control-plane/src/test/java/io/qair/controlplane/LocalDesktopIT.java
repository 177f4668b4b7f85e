package io.qair.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.controlplane.cli.CliEnv;
import io.qair.controlplane.cli.QairCli;
import io.qair.controlplane.store.ZoneState;
import io.qair.controlplane.zone.AgentZoneLayer;
import io.qair.protocol.QubeState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole local product as {@code ./qair up} runs it: a master with the real zone layer, which
 * starts the built zone agent as its own process, enrolls it over mutual TLS and runs real
 * sandboxed qubes in it; driven only through the {@code qair} CLI.
 */
class LocalDesktopIT {
  @TempDir Path home;
  Vertx vertx;
  Master master;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void up() throws Exception {
    Path dist = Path.of("..", "zone-agent", "target").toAbsolutePath().normalize();
    Path templateRoot = Path.of(System.getenv().getOrDefault("QAIR_TEST_TEMPLATE_ROOT",
        "/var/cache/qair/templates/debian-12/root"));
    Assumptions.assumeTrue(Files.isDirectory(dist.resolve("lib")), "zone-agent is not packaged");
    Assumptions.assumeTrue(Files.isDirectory(templateRoot.resolve("bin")), "no template at " + templateRoot);
    System.setProperty("qair.adapter.agent.dist", dist.toString());
    System.setProperty("qair.adapter.agent.templates-dir", templateRoot.getParent().getParent().toString());
    System.setProperty("qair.adapter.agent.jvm-options", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    master = startMaster();
  }

  private Master startMaster() throws Exception {
    vertx = Vertx.vertx();
    Master m = await(Master.builder(vertx, home.resolve("master")).port(0).zoneLayer(new AgentZoneLayer.Factory())
        .start());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (m.store().zone("local").map(z -> z.state() != ZoneState.READY).orElse(true)) {
      assertThat(m.store().zone("local").map(z -> z.state()).orElse(null)).isNotEqualTo(ZoneState.FAILED);
      assertThat(System.nanoTime()).as("the local zone is not ready").isLessThan(deadline);
      Thread.sleep(100);
    }
    return m;
  }

  @AfterEach
  void down() throws Exception {
    if (master != null) {
      await(master.stop());
    }
    vertx.close();
  }

  private Result qair(String... args) {
    return qairIn(null, args);
  }

  private Result qairIn(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path data = home.resolve("master");
    CliEnv env = new CliEnv(URI.create("https://127.0.0.1:" + master.port()), null, data.resolve("token"),
        data.resolve("ca/ca.pem"), new ByteArrayInputStream(stdin == null ? new byte[0]
            : stdin.getBytes(StandardCharsets.UTF_8)), false, out, err);
    int exit = QairCli.commandLine(env).execute(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void qubesRunInSandboxesAndKeepOnlyTheirPrivateData() throws Exception {
    assertThat(qair("zone", "ls").out()).contains("local").contains("READY");
    assertThat(qair("qube", "create", "work", "--label", "blue").exit()).isZero();
    Result hello = qair("run", "work", "--", "sh", "-c", "echo hello > ~/note; cat ~/note; echo oops >&2; exit 3");
    assertThat(hello.exit()).as(hello.err()).isEqualTo(3);
    assertThat(hello.out()).isEqualTo("hello\n");
    assertThat(hello.err()).isEqualTo("oops\n");
    assertThat(qairIn("piped\n", "run", "work", "--", "cat").out()).isEqualTo("piped\n");
    assertThat(qair("qube", "ls").out()).containsPattern("work +AppVM +RUNNING +local +blue +debian-12");

    // the root is the template's, read-only; /tmp is thrown away at shutdown; ~ persists
    assertThat(qair("run", "work", "--", "sh", "-c", "touch /etc/x").exit()).isNotZero();
    assertThat(qair("run", "work", "--", "sh", "-c", "echo t > /tmp/t").exit()).isZero();
    assertThat(qair("qube", "shutdown", "work").exit()).isZero();
    assertThat(master.store().qube("work").orElseThrow().state()).isEqualTo(QubeState.HALTED);
    assertThat(qair("qube", "start", "work").exit()).isZero();
    assertThat(qair("run", "work", "--", "cat", "/home/user/note").out()).isEqualTo("hello\n");
    assertThat(qair("run", "work", "--", "sh", "-c", "test -e /tmp/t").exit()).isEqualTo(1);

    // another qube sees nothing of work's
    assertThat(qair("qube", "create", "other", "--label", "red", "--mem", "256", "--vcpus", "1").exit()).isZero();
    Result peek = qair("run", "other", "--", "sh", "-c", "cat /home/user/note; ls /proc | grep -c '^[0-9]'");
    assertThat(peek.err()).contains("No such file");
    assertThat(Integer.parseInt(peek.out().trim())).isLessThan(10);

    // a running qube cannot be removed; a halted one can, with its private volume
    assertThat(qair("qube", "rm", "work").exit()).isEqualTo(5);
    assertThat(qair("qube", "shutdown", "other").exit()).isZero();
    assertThat(qair("qube", "rm", "other").exit()).isZero();
    assertThat(home.resolve("zones/local/qubes/other")).doesNotExist();
    assertThat(home.resolve("zones/local/qubes/work")).exists();
  }

  @Test
  void aDisposableLeavesNothingBehind() throws Exception {
    Result r = qair("run", "--dispvm", "--", "sh", "-c", "echo secret > ~/f; hostname");
    assertThat(r.exit()).as(r.err()).isZero();
    String name = r.out().trim();
    assertThat(name).startsWith("disp");
    assertThat(qair("qube", "ls").out()).doesNotContain(name);
    assertThat(master.store().qube(name)).isEmpty();
    assertThat(home.resolve("zones/local/qubes/" + name)).doesNotExist();
    assertThat(home.resolve("zones/local/run/" + name + ".json")).doesNotExist();
    try (Stream<Path> cgroups = Files.walk(Path.of("/sys/fs/cgroup/memory/qair"), 3)) {
      assertThat(cgroups.map(Path::toString)).noneMatch(p -> p.endsWith("/" + name));
    }
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
        .noneMatch(c -> c.contains(name));
  }

  @Test
  void aKilledAgentAndARestartedMasterReadoptRunningQubes() throws Exception {
    assertThat(qair("qube", "create", "work", "--label", "green").exit()).isZero();
    Result kept = qair("run", "work", "--", "sh", "-c", "echo kept > ~/k");
    assertThat(kept.exit()).as(kept.err()).isZero();
    long agentPid = Long.parseLong(Files.readString(home.resolve("zones/local/agent.pid")).trim());
    ProcessHandle agent = ProcessHandle.of(agentPid).orElseThrow();
    agent.destroyForcibly();
    agent.onExit().get(10, TimeUnit.SECONDS);

    // the master crashes too: no clean stop, its Vert.x and store just go away
    master.store().close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    master = startMaster();

    long newPid = Long.parseLong(Files.readString(home.resolve("zones/local/agent.pid")).trim());
    assertThat(newPid).isNotEqualTo(agentPid);
    Result again = qair("run", "work", "--", "cat", "/home/user/k");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).isEqualTo("kept\n");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (master.store().qube("work").orElseThrow().state() != QubeState.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(master.store().qube("work").orElseThrow().state()).isEqualTo(QubeState.RUNNING);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
