package io.qair.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.cloud.aws.Ec2StandIn;
import io.qair.cloud.gcp.GceStandIn;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.controlplane.Master;
import io.qair.controlplane.api.AdminApiServer;
import io.qair.controlplane.api.ApiToken;
import io.qair.controlplane.qube.FakeZoneRuntime;
import io.qair.controlplane.qube.ZoneAdmin;
import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.zone.AgentClients;
import io.qair.controlplane.zone.HostSimulator;
import io.qair.controlplane.zone.Enroller;
import io.qair.controlplane.zone.EnrollmentTokens;
import io.qair.controlplane.zone.MasterPki;
import io.qair.controlplane.zone.StoreLedger;
import io.qair.controlplane.zone.ZoneLedger;
import io.qair.controlplane.zone.ZoneManager;
import io.qair.protocol.Label;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qair zone create|ls|events|rm} through {@code CommandLine.execute()} against a master
 * whose zones are made by the real aws and gcp adapters against the EC2 and Compute Engine
 * stand-ins; the EC2 instances get real agents ({@link HostSimulator}), so zones enroll.
 */
class ZoneCommandsTest {
  @TempDir Path tmp;
  Vertx vertx;
  Store store;
  Ec2StandIn ec2;
  GceStandIn gce;
  HostSimulator hosts;
  AgentClients clients;
  ZoneManager zones;
  AdminApiServer server;
  String token;
  int port;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Path data = tmp.resolve("master");
    store = Store.open(data);
    ec2 = new Ec2StandIn();
    ec2.publicIp("127.0.0.1");
    gce = new GceStandIn();
    hosts = HostSimulator.ec2(ec2, tmp.resolve("hosts"));
    Map<String, String> settings = Map.of("poll-interval-ms", "10", "boot-timeout-seconds", "5",
        "agent.dist-url", "https://dist.example/qair-zone-agent.tar.gz?sig=x", "agent.dist-sha256", "ab".repeat(32));
    CloudAdapter aws = ec2.adapter(tmp.resolve("zones/.aws"), settings);
    CloudAdapter gcp = gce.adapter(tmp.resolve("zones/.gcp"), settings);
    MasterPki pki = MasterPki.loadOrCreate(data);
    ZoneLedger ledger = StoreLedger.of(store);
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, Clock.systemUTC());
    clients = new AgentClients(vertx, pki, ledger);
    zones = new ZoneManager(vertx, ledger, tokens, new Enroller(vertx, pki, tokens), pki,
        p -> p.equals("aws") ? aws : gcp, clients, Duration.ofSeconds(5), Duration.ofMillis(100), Set.of());
    ZoneAdmin admin = new ZoneAdmin() {
      @Override
      public Future<ZoneRow> create(ZoneCreate request) {
        return zones.create(request);
      }

      @Override
      public Future<Void> remove(String zone, boolean force) {
        return zones.remove(zone, force);
      }
    };
    server = await(AdminApiServer.builder(vertx, store)
        .runtime(await(FakeZoneRuntime.start(vertx)))
        .zoneAdmin(admin)
        .token(ApiToken.loadOrCreate(data))
        .tls(io.vertx.core.net.KeyCertOptions.wrap(pki.serverKeyManager()))
        .port(0)
        .policy(Master.openPolicy(data))
        .start());
    token = Files.readString(data.resolve(ApiToken.FILE)).strip();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void stop() throws Exception {
    await(server.close());
    zones.close();
    clients.close();
    hosts.close();
    ec2.close();
    gce.close();
    store.close();
    vertx.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Result qair(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliEnv env = new CliEnv(java.net.URI.create("https://127.0.0.1:" + server.port()), token, tmp.resolve("none"),
        tmp.resolve("master/ca/ca.pem"), new ByteArrayInputStream(new byte[0]), false, out, err);
    int exit = QairCli.commandLine(env).execute(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The output's lines without their elapsed times. */
  private static List<String> steps(String out) {
    return out.lines().map(l -> l.replaceAll(" \\(\\d+\\.\\d s\\)$", "")).toList();
  }

  private Result createEu1() {
    return qair("zone", "create", "eu1", "--provider", "aws", "--region", "eu-central-1", "--instance-type", "t3.small",
        "--allow-from", "127.0.0.1/32", "--opt", "agent-port=" + port);
  }

  @Test
  void createShowsEveryStepWithElapsedTimeThenLsEventsAndRm() throws Exception {
    Result created = createEu1();
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out().lines()).allMatch(l -> l.matches("eu1: .* \\(\\d+\\.\\d s\\)"));
    assertThat(steps(created.out())).containsSubsequence("eu1: accepted", "eu1: creating firewall",
        "eu1: launching instance", "eu1: waiting for boot", "eu1: installing agent", "eu1: enrolling",
        "eu1: ready at 127.0.0.1:" + port);
    assertThat(steps(created.out())).doesNotHaveDuplicates();
    assertThat(ec2.calls("RunInstances").get(0).params()).containsEntry("InstanceType", "t3.small");
    assertThat(ec2.groups().get(0).ingress.toString()).contains("127.0.0.1/32");

    Result ls = qair("zone", "ls");
    assertThat(ls.out().lines().toList()).containsExactly(
        "NAME  PROVIDER  REGION        STATE  ADDRESS          QUBES",
        "eu1   aws       eu-central-1  READY  127.0.0.1:" + port + "  0");

    Result events = qair("zone", "events", "eu1");
    assertThat(events.exit()).as(events.err()).isZero();
    assertThat(events.out().lines().map(l -> l.substring(l.indexOf(' ') + 1)).toList()).containsSubsequence(
        "zone-created provider=aws state=PENDING", "zone-state state=PROVISIONING step=firewall",
        "zone-state state=PROVISIONING step=launch", "zone-state state=PROVISIONING step=boot",
        "zone-state state=ENROLLING step=enroll", "zone-state state=ENROLLING step=complete",
        "zone-state state=READY");
    assertThat(events.out().lines().toList().get(0)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z zone-created .*");

    store.write(tx -> tx.insertQube(new QubeRow("build", QubeClass.TemplateVM, "eu1", Label.ORANGE, null, null, 400, 2,
        QubeState.HALTED, 0)));
    Result refused = qair("zone", "rm", "eu1");
    assertThat(refused.exit()).isEqualTo(5);
    assertThat(refused.err()).contains("has 1 qube(s)", "force");
    assertThat(ec2.liveInstances()).hasSize(1);
    Result rm = qair("zone", "rm", "eu1", "--force");
    assertThat(rm.exit()).as(rm.err()).isZero();
    assertThat(rm.out()).isEqualTo("eu1 removed\n");
    assertThat(ec2.liveInstances()).isEmpty();
    assertThat(ec2.groups()).isEmpty();
    assertThat(store.zone("eu1")).isEmpty();
    assertThat(store.qube("build")).isEmpty();
  }

  @Test
  void aFailedCreateEndsWithTheReasonAndExit1() {
    ec2.failNext("RunInstances", "InstanceLimitExceeded");
    Result r = createEu1();
    assertThat(r.exit()).isEqualTo(1);
    assertThat(steps(r.out())).containsSubsequence("eu1: accepted", "eu1: launching instance", "eu1: failed");
    assertThat(r.err()).startsWith("qair: zone eu1 failed: AWS quota exceeded").contains("InstanceLimitExceeded");
    assertThat(ec2.liveInstances()).isEmpty();
    assertThat(ec2.groups()).isEmpty();
    Result ls = qair("zone", "ls");
    assertThat(ls.out()).contains("eu1   aws       eu-central-1  FAILED  -        0").contains("eu1: AWS quota exceeded");
  }

  @Test
  void gcpOptionsMapToTheZoneRequest() throws Exception {
    Result r = qair("zone", "create", "us1", "--provider", "gcp", "--project", "my-proj", "--zone", "us-central1-a",
        "--machine-type", "e2-standard-4", "--allow-from", "203.0.113.7/32", "--detach");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).matches("us1 (PENDING|PROVISIONING)\n");
    ZoneRow row = store.zone("us1").orElseThrow();
    assertThat(row.region()).isEqualTo("us-central1-a");
    assertThat(row.options()).containsEntry("project", "my-proj").containsEntry("machine-type", "e2-standard-4")
        .containsEntry("allow-from", "203.0.113.7/32");
  }

  @Test
  void optionsOfAnotherProviderAreUsageErrors() {
    Result zone = qair("zone", "create", "eu1", "--provider", "aws", "--zone", "us-central1-a");
    assertThat(zone.exit()).isEqualTo(2);
    assertThat(zone.err()).contains("--zone is an option of --provider gcp; for aws give --region");
    Result type = qair("zone", "create", "us1", "--provider", "gcp", "--instance-type", "m6i.large");
    assertThat(type.exit()).isEqualTo(2);
    assertThat(type.err()).contains("for gcp give --machine-type");
    assertThat(store.zones()).isEmpty();
  }

  @Test
  void onATerminalTheCurrentStepCountsUpInPlace() throws Exception {
    StringWriter w = new StringWriter();
    try (ZoneProgress p = new ZoneProgress(new PrintWriter(w), true, "eu1")) {
      p.step("launching instance");
      Thread.sleep(1_300);
      p.step("waiting for boot");
      p.end("ready", "at 127.0.0.1:7444");
    }
    String out = w.toString();
    assertThat(out).startsWith("\reu1: launching instance (0.0 s)").contains("\reu1: launching instance (1.")
        .contains("\n\reu1: waiting for boot").endsWith("eu1: ready at 127.0.0.1:7444 (1.3 s)\n");
  }
}
