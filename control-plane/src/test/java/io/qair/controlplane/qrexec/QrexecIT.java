package io.qair.controlplane.qrexec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.controlplane.Master;
import io.qair.controlplane.cli.CliEnv;
import io.qair.controlplane.cli.QairCli;
import io.qair.controlplane.store.EventType;
import io.qair.controlplane.store.ZoneState;
import io.qair.controlplane.zone.AgentZoneLayer;
import io.qair.protocol.api.Event;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * qrexec end to end in one zone: a master with the real zone layer, the built agent, real
 * sandboxed qubes {@code work} and {@code personal}; calls made inside {@code work} with
 * {@code qrexec-client-vm} and the {@code qvm-*} tools, decided by the master's policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QrexecIT {
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(6);
  private static final ObjectMapper JSON = new ObjectMapper();

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
    vertx = Vertx.vertx();
    master = await(Master.builder(vertx, home.resolve("master")).port(0).askTimeout(ASK_TIMEOUT)
        .zoneLayer(new AgentZoneLayer.Factory()).start());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (master.store().zone("local").map(z -> z.state() != ZoneState.READY).orElse(true)) {
      assertThat(master.store().zone("local").map(z -> z.state()).orElse(null)).isNotEqualTo(ZoneState.FAILED);
      assertThat(System.nanoTime()).as("the local zone is not ready").isLessThan(deadline);
      Thread.sleep(100);
    }
    ok(qair("qube", "create", "work", "--label", "blue", "--mem", "256", "--vcpus", "1"));
    ok(qair("qube", "create", "personal", "--label", "green", "--mem", "256", "--vcpus", "1"));
    ok(qair("qube", "start", "work"));
    ok(qair("qube", "start", "personal"));
    ok(qairIn("""
        test.Hello   *  work  personal  allow
        test.Mark    *  work  personal  deny
        test.None    *  work  personal  allow
        test.Ask     *  work  personal  ask  default_target=personal
        qubes.GetDate * work  @dispvm   allow
        qubes.Filecopy * work personal  allow
        """, "policy", "replace", "30-user"));
    // services in personal's own persistent qubes-rpc folder
    ok(qair("run", "personal", "--", "sh", "-c", """
        d=$HOME/.local/etc/qubes-rpc; mkdir -p $d
        printf '#!/bin/sh\\necho "hello from $(hostname) to $QREXEC_REMOTE_DOMAIN arg=$1 env=$QREXEC_SERVICE_ARGUMENT"\\ncat\\nexit 7\\n' > $d/test.Hello
        printf '#!/bin/sh\\ntouch $HOME/marked\\n' > $d/test.Mark
        printf '#!/bin/sh\\necho answered\\n' > $d/test.Ask
        chmod +x $d/*
        """));
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

  /** A shell command run in work. */
  private Result inWork(String script) {
    return qair("run", "work", "--", "sh", "-c", script);
  }

  @Test
  void anAllowedCallJoinsTheEndsAndReturnsTheExitCode() {
    Result r = inWork("echo piped | qrexec-client-vm personal test.Hello+arg1");
    assertThat(r.exit()).as(r.err()).isEqualTo(7);
    assertThat(r.out()).isEqualTo("hello from personal to work arg=arg1 env=arg1\npiped\n");
  }

  @Test
  void aDeniedCallIs126AndTheServiceNeverRuns() {
    Result r = inWork("qrexec-client-vm personal test.Mark");
    assertThat(r.exit()).as(r.err()).isEqualTo(126);
    assertThat(r.err()).contains("request refused");
    assertThat(qair("run", "personal", "--", "test", "-e", "/home/user/marked").exit()).isEqualTo(1);
    // no rule at all: denied the same way
    assertThat(inWork("qrexec-client-vm personal test.Unknown").exit()).isEqualTo(126);
    // a target that does not exist, or the caller itself
    assertThat(inWork("qrexec-client-vm nosuch test.Hello").exit()).isEqualTo(126);
  }

  @Test
  void theMasterAnswersGetDateUnderTheDefaultPolicy() {
    Result r = inWork("qrexec-client-vm @default qubes.GetDate");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00\n");
  }

  @Test
  void anAllowedCallToAMissingServiceIs127() {
    Result r = inWork("qrexec-client-vm personal test.None");
    assertThat(r.exit()).isEqualTo(127);
    assertThat(r.err()).contains("no service test.None");
  }

  @Test
  void askWaitsForTheAnswerFromTheCliAndExpiresToDeny() throws Exception {
    CompletableFuture<Result> call = CompletableFuture.supplyAsync(() -> inWork("qrexec-client-vm personal test.Ask"));
    String id = pendingAsk();
    assertThat(call).isNotDone();
    Result allowed = qair("policy", "ask", "allow", id);
    assertThat(allowed.out()).startsWith("allow target=personal");
    Result r = call.get(30, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("answered\n");

    long start = System.nanoTime();
    Result expired = inWork("qrexec-client-vm personal test.Ask");
    assertThat(expired.exit()).isEqualTo(126);
    assertThat(expired.err()).contains("no answer within");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ASK_TIMEOUT.minusMillis(500));
    assertThat(events(EventType.POLICY_ASK_EXPIRED)).isNotEmpty();
  }

  private String pendingAsk() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      JsonNode asks = JSON.readTree(qair("policy", "ask", "ls", "-o", "json").out());
      if (asks.size() > 0) {
        assertThat(asks.get(0).path("source").asText()).isEqualTo("work");
        assertThat(asks.get(0).path("service").asText()).isEqualTo("test.Ask");
        return asks.get(0).path("id").asText();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no ask was queued");
  }

  private List<Event> events(String type) {
    return master.store().eventsAfter(0, 100_000).stream().filter(e -> e.type().equals(type)).toList();
  }

  @Test
  void aDispvmCallMakesADisposableAndDestroysIt() throws Exception {
    long before = master.store().eventsAfter(0, 100_000).stream().mapToLong(Event::id).max().orElse(0);
    Result r = inWork("qrexec-client-vm @dispvm qubes.GetDate");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00\n");
    List<Event> created = master.store().eventsAfter(before, 1000).stream()
        .filter(e -> e.type().equals(EventType.QUBE_CREATED) && e.subject().startsWith("disp")).toList();
    assertThat(created).hasSize(1);
    String disp = created.get(0).subject();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (master.store().qube(disp).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(master.store().qube(disp)).isEmpty();
    assertThat(home.resolve("zones/local/qubes/" + disp)).doesNotExist();
  }

  @Test
  void openInDvmRunsInANewDisposableThatIsDestroyed() throws Exception {
    long before = master.store().eventsAfter(0, 100_000).stream().mapToLong(Event::id).max().orElse(0);
    // the default policy: qubes.OpenURL to @dispvm is allowed; the template has no browser, so
    // the service records the URL and says so (exit 1), in the disposable
    Result r = inWork("qvm-open-in-dvm https://example.org/x?y=1");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("no browser in this qube");
    List<Event> made = master.store().eventsAfter(before, 1000).stream()
        .filter(e -> e.type().equals(EventType.QUBE_CREATED) && e.subject().startsWith("disp")).toList();
    assertThat(made).hasSize(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (master.store().qube(made.get(0).subject()).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(master.store().qube(made.get(0).subject())).isEmpty();
    // a URL that is not http(s)/ftp never leaves the caller as a URL: it is a file name there
    assertThat(inWork("qvm-open-in-dvm 'javascript:alert(1)'").exit()).isEqualTo(1);
  }

  @Test
  void qvmMoveRemovesTheFilesOnceCopied() {
    Result r = inWork("echo moved > m.txt && qvm-move-to-vm personal m.txt && test ! -e m.txt");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(qair("run", "personal", "--", "cat", "/home/user/QubesIncoming/work/m.txt").out()).isEqualTo("moved\n");
    // refused (the name exists there now): the file stays
    assertThat(inWork("echo again > m.txt && qvm-move-to-vm personal m.txt; test -e m.txt").exit()).isZero();
  }

  @Test
  void filecopyDeliversIntoQubesIncomingAndRefusesAttacks() {
    Result copy = inWork("mkdir -p d && echo one > d/a.txt && echo two > b.txt && qvm-copy-to-vm personal d b.txt");
    assertThat(copy.exit()).as(copy.err()).isZero();
    assertThat(qair("run", "personal", "--", "sh", "-c", "cat ~/QubesIncoming/work/d/a.txt ~/QubesIncoming/work/b.txt")
        .out()).isEqualTo("one\ntwo\n");
    // the same names again: refused, nothing overwritten
    assertThat(inWork("echo three > b.txt && qvm-copy-to-vm personal b.txt").exit()).isNotZero();

    ok(qair("run", "personal", "--", "sh", "-c", "mkdir -p ~/.config/qair && echo 4096 > ~/.config/qair/filecopy-max-bytes"));
    String send = " | qrexec-client-vm personal qubes.Filecopy";
    List<String> attacks = List.of(
        "ln -sf /etc/passwd evil && tar -c evil" + send,                              // a symlink
        "tar -cP /etc/hostname" + send,                                                // an absolute name
        "mkdir -p s && echo x > up && cd s && tar -cP ../up" + send,                   // '..'
        "tar -c -C /dev null" + send,                                                  // a device
        "ln -f b.txt hard 2>/dev/null; tar -c b.txt hard" + send,                      // a hard link
        "head -c 100000 /dev/zero > big && tar -c big" + send,                         // over the quota
        "echo 'not a tar archive at all' " + send);                                    // garbage
    for (String attack : attacks) {
      Result r = inWork(attack);
      assertThat(r.exit()).as(attack + ": " + r.err()).isNotZero();
    }
    Result left = qair("run", "personal", "--", "sh", "-c", "ls -A ~/QubesIncoming ~/QubesIncoming/work");
    assertThat(left.out()).startsWith("/home/user/QubesIncoming:\nwork\n\n/home/user/QubesIncoming/work:\n")
        .doesNotContain(".incoming").doesNotContain("evil").doesNotContain("hostname").doesNotContain("up\n")
        .doesNotContain("null").doesNotContain("hard").doesNotContain("big");
    assertThat(left.out()).contains("b.txt\nd\n");
    assertThat(qair("run", "personal", "--", "cat", "/home/user/QubesIncoming/work/b.txt").out()).isEqualTo("two\n");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
