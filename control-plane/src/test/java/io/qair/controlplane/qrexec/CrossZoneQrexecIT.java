package io.qair.controlplane.qrexec;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.controlplane.Master;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * qrexec across zones end to end: one master, two local zones ({@code local} and {@code z2}), each
 * its own agent process with its own sandboxed qube ({@code work} in local, {@code far} in z2).
 * The master relays the call's data between the two agents, only once the policy allowed it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossZoneQrexecIT {
  @TempDir static Path home;
  Vertx vertx;
  Master master;

  record Result(int exit, String out, String err) {}

  @BeforeAll
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
    Result z2 = qair("zone", "create", "z2", "--provider", "local");
    assertThat(z2.exit()).as(z2.out() + z2.err()).isZero();
    awaitReady("z2");
    ok(qair("qube", "create", "work", "--label", "blue", "--mem", "256", "--vcpus", "1"));
    ok(qair("qube", "create", "far", "--zone", "z2", "--label", "green", "--mem", "256", "--vcpus", "1"));
    // the second zone did not take the default template: it stays in the default zone
    assertThat(master.store().qube("debian-12").orElseThrow().zone()).isEqualTo("local");
    ok(qair("qube", "start", "work"));
    ok(qair("qube", "start", "far"));
    ok(qairIn("""
        qubes.Filecopy *  @zone:local  @zone:z2     allow
        qubes.Filecopy *  @zone:z2     @anyvm       deny
        test.Mark      *  @zone:local  @zone:z2     allow
        test.Mark      *  @zone:z2     @zone:local  deny
        """, "policy", "replace", "30-user"));
    String mark = """
        d=$HOME/.local/etc/qubes-rpc; mkdir -p $d
        printf '#!/bin/sh\\necho "$(hostname) marked by $QREXEC_REMOTE_DOMAIN"; touch $HOME/marked\\n' > $d/test.Mark
        chmod +x $d/test.Mark
        """;
    ok(qair("run", "work", "--", "sh", "-c", mark));
    ok(qair("run", "far", "--", "sh", "-c", mark));
  }

  private Master startMaster() throws Exception {
    vertx = Vertx.vertx();
    Master m = await(Master.builder(vertx, home.resolve("master")).port(0).zoneLayer(new AgentZoneLayer.Factory())
        .start());
    master = m;
    awaitReady("local");
    return m;
  }

  private void awaitReady(String zone) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (master.store().zone(zone).map(z -> z.state() != ZoneState.READY).orElse(true)) {
      assertThat(master.store().zone(zone).map(z -> z.state()).orElse(null)).isNotEqualTo(ZoneState.FAILED);
      assertThat(System.nanoTime()).as("zone " + zone + " is not ready").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @AfterAll
  void down() throws Exception {
    if (master != null) {
      await(master.stop());
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  @Test
  @Order(1)
  void aPolicyNamingZonesDecidesEachWay() throws Exception {
    Result allowed = qair("run", "work", "--", "qrexec-client-vm", "far", "test.Mark");
    assertThat(allowed.exit()).as(allowed.err()).isZero();
    assertThat(allowed.out()).isEqualTo("far marked by work\n");

    Result denied = qair("run", "far", "--", "qrexec-client-vm", "work", "test.Mark");
    assertThat(denied.exit()).as(denied.err()).isEqualTo(126);
    assertThat(denied.err()).contains("request refused").contains("30-user.policy:4");
    assertThat(qair("run", "work", "--", "test", "-e", "/home/user/marked").exit()).isEqualTo(1);
    // a copy the other way: denied as well, and nothing ran
    assertThat(qair("run", "far", "--", "sh", "-c", "echo x | qrexec-client-vm work qubes.Filecopy").exit())
        .isEqualTo(126);
    assertThat(qair("run", "work", "--", "test", "-e", "/home/user/QubesIncoming").exit()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void a100MibFileArrivesIntactInTheOtherZone() {
    Result sent = qair("run", "work", "--", "sh", "-c",
        "head -c 104857600 /dev/urandom > ~/big && sha256sum < ~/big && qvm-copy-to-vm far ~/big");
    assertThat(sent.exit()).as(sent.err()).isZero();
    Result got = qair("run", "far", "--", "sh", "-c", "sha256sum < ~/QubesIncoming/work/big");
    assertThat(got.exit()).as(got.err()).isZero();
    assertThat(got.out()).isEqualTo(sent.out()).matches("[0-9a-f]{64}  -\n");
  }

  @Test
  @Order(3)
  void killingTheTargetsAgentMidCopyFailsTheCallerCleanlyAndLeavesNothing() throws Exception {
    Path incoming = home.resolve("zones/z2/qubes/far/private/QubesIncoming");
    // the tar stream is sent, then the caller keeps its stdin open: the receiver is mid-copy
    CompletableFuture<Result> call = CompletableFuture.supplyAsync(() -> qair("run", "work", "--", "sh", "-c",
        "cp ~/big ~/big2 && { tar -c -C ~ big2; while printf '\\0'; do sleep 0.1; done; }"
            + " | qrexec-client-vm far qubes.Filecopy"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (spooled(incoming) < 100L << 20) {
      assertThat(call).as("the copy ended early").isNotDone();
      assertThat(System.nanoTime()).as("the copy did not get going").isLessThan(deadline);
      Thread.sleep(50);
    }
    long agentPid = Long.parseLong(Files.readString(home.resolve("zones/z2/agent.pid")).trim());
    ProcessHandle agent = ProcessHandle.of(agentPid).orElseThrow();
    long killed = System.nanoTime();
    agent.destroyForcibly();
    Result r = call.get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(r.exit()).as(r.err()).isEqualTo(126);
    assertThat(r.err()).contains("zone z2 went away");
    assertThat(took).as("the caller learnt it in %s", took).isLessThan(Duration.ofSeconds(10));

    // on disk in z2: the receiver removed its spool when it was stopped; only the first copy is there
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (spooled(incoming) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(list(incoming)).containsExactly("work");
    assertThat(list(incoming.resolve("work"))).containsExactly("big");

    // the agent comes back (the master restarts with it) and sees the same
    master.store().close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    master = startMaster();
    awaitReady("z2");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (master.store().qube("far").orElseThrow().state() != QubeState.RUNNING && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    Result left = qair("run", "far", "--", "sh", "-c", "ls -A ~/QubesIncoming ~/QubesIncoming/work");
    assertThat(left.out()).as(left.err())
        .isEqualTo("/home/user/QubesIncoming:\nwork\n\n/home/user/QubesIncoming/work:\nbig\n");
    // and calls go through again
    Result again = qair("run", "work", "--", "qrexec-client-vm", "far", "test.Mark");
    assertThat(again.exit()).as(again.err()).isZero();
  }

  /** Bytes in the receiver's spool folders ({@code .incoming.*}) under {@code incoming}. */
  private static long spooled(Path incoming) throws Exception {
    if (!Files.isDirectory(incoming)) {
      return 0;
    }
    long total = 0;
    try (Stream<Path> all = Files.walk(incoming)) {
      for (Path p : all.filter(p -> p.toString().contains("/.incoming.")).toList()) {
        total += Files.isRegularFile(p) ? Files.size(p) : 1;
      }
    } catch (java.io.UncheckedIOException e) {
      return 1; // a file went while walking: still something there
    }
    return total;
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void ok(Result r) {
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
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

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
