package io.qair.controlplane.zone;

import static io.qair.controlplane.zone.TestAgents.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.cloud.aws.Ec2StandIn;
import io.qair.cloud.gcp.GceStandIn;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cloud error a zone can meet ends, through the {@link ZoneManager}, in FAILED with the
 * adapter's message and nothing left in the cloud, and leaves the other zones alone: faults
 * injected by the EC2 and Compute Engine stand-ins, through the real SDKs.
 */
class ZoneErrorsTest {
  @TempDir Path tmp;
  Vertx vertx = Vertx.vertx();
  Ec2StandIn ec2 = new Ec2StandIn();
  GceStandIn gce = new GceStandIn();
  TestAgents agents;
  InProcessAdapter inproc;
  AgentClients clients;
  ZoneManager zones;
  InMemoryLedger ledger = new InMemoryLedger();
  CloudAdapter aws;
  CloudAdapter gcp;

  void start(Duration enrollTimeout) throws Exception {
    MasterPki pki = MasterPki.loadOrCreate(tmp.resolve("master"));
    agents = new TestAgents(tmp.resolve("agents"));
    inproc = new InProcessAdapter(agents);
    Map<String, String> common = Map.of("poll-interval-ms", "5", "boot-timeout-seconds", "1",
        "agent.dist-url", "https://dist.example/qair-zone-agent.tar.gz?sig=x", "agent.dist-sha256", "ab".repeat(32));
    aws = ec2.adapter(tmp.resolve("zones/.aws"), common);
    Map<String, String> g = new java.util.HashMap<>(common);
    g.put("project", "qair-test-project");
    gcp = gce.adapter(tmp.resolve("zones/.gcp"), g);
    Map<String, CloudAdapter> byName = Map.of("aws", aws, "gcp", gcp, "inproc", inproc);
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, Clock.systemUTC());
    clients = new AgentClients(vertx, pki, ledger);
    zones = new ZoneManager(vertx, ledger, tokens, new Enroller(vertx, pki, tokens), pki, p -> {
      CloudAdapter a = byName.get(p);
      if (a == null) {
        throw QairException.badRequest("unknown provider '" + p + "'");
      }
      return a;
    }, clients, enrollTimeout, Duration.ofMillis(100), Set.of());
    assertThat(await(zones.createAndWait(new ZoneCreate("other", "inproc", null, Map.of()))).state())
        .isEqualTo(ZoneState.READY);
  }

  @AfterEach
  void tearDown() {
    if (zones != null) {
      zones.close();
      clients.close();
      agents.close();
    }
    ec2.close();
    gce.close();
    vertx.close();
  }

  static ZoneCreate onAws(String name) {
    return new ZoneCreate(name, "aws", "eu-central-1", Map.of("allow-from", "203.0.113.7/32",
        "instance-type", "t3.small"));
  }

  static ZoneCreate onGcp(String name, String zone) {
    return new ZoneCreate(name, "gcp", zone, Map.of("allow-from", "203.0.113.7/32", "machine-type", "e2-small"));
  }

  static Stream<Arguments> awsFaults() {
    return Stream.of(
        Arguments.of("RunInstances", "InstanceLimitExceeded", "AWS quota exceeded"),
        Arguments.of("CreateSecurityGroup", "SecurityGroupLimitExceeded", "AWS quota exceeded"),
        Arguments.of("RunInstances", "UnauthorizedOperation", "AWS refused the credentials"),
        Arguments.of("DescribeImages", "AuthFailure", "AWS refused the credentials"),
        Arguments.of("DescribeImages", "OptInRequired", "is not enabled for this AWS account"),
        Arguments.of("RunInstances", "InsufficientInstanceCapacity", "cannot run this instance now"),
        Arguments.of("RunInstances", "InvalidAMIID.NotFound", "image for the zone host was not found"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("awsFaults")
  void anAwsErrorFailsTheZoneWithTheAdaptersMessageAndLeavesNothing(String operation, String code, String says)
      throws Exception {
    start(Duration.ofSeconds(5));
    ec2.failNext(operation, code);
    ZoneRow row = await(zones.createAndWait(onAws("eu1")));
    assertFailedAndClean(row, says, code);
  }

  static Stream<Arguments> gcpFaults() {
    return Stream.of(
        Arguments.of("instances.insert", "QUOTA_EXCEEDED", "quota"),
        Arguments.of("firewalls.insert", "QUOTA_EXCEEDED", "Quotas"),
        Arguments.of("instances.insert", "ZONE_RESOURCE_POOL_EXHAUSTED", "another zone"),
        Arguments.of("instances.insert", "401", "application-default"),
        Arguments.of("images.getFromFamily", "403", "not allowed"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("gcpFaults")
  void aGcpErrorFailsTheZoneWithTheAdaptersMessageAndLeavesNothing(String operation, String code, String says)
      throws Exception {
    start(Duration.ofSeconds(5));
    gce.failNext(operation, code);
    ZoneRow row = await(zones.createAndWait(onGcp("us1", "us-central1-a")));
    assertFailedAndClean(row, says, null);
  }

  @Test
  void noImageFailsTheZoneSayingWhichOptionToGive() throws Exception {
    start(Duration.ofSeconds(5));
    ec2.removeImages();
    assertFailedAndClean(await(zones.createAndWait(onAws("eu1"))), "ami=", null);
    gce.removeImages();
    assertFailedAndClean(await(zones.createAndWait(onGcp("us1", "us-central1-a"))), "image=", null);
  }

  @Test
  void anUnknownGcpZoneFailsTheZoneSayingHowToListThem() throws Exception {
    start(Duration.ofSeconds(5));
    assertFailedAndClean(await(zones.createAndWait(onGcp("us1", "mars-north1-a"))), "gcloud compute zones list", null);
  }

  @Test
  void aHostThatDoesNotBootInTimeFailsTheZoneAndIsRemoved() throws Exception {
    start(Duration.ofSeconds(5));
    ec2.neverBoot();
    assertFailedAndClean(await(zones.createAndWait(onAws("eu1"))), "did not reach running", null);
    assertThat(ec2.calls("TerminateInstances")).hasSize(1);
    gce.neverBoot();
    assertFailedAndClean(await(zones.createAndWait(onGcp("us1", "us-central1-a"))), "try again", null);
  }

  @Test
  void anAgentThatNeverAnswersFailsTheZoneAfterTheEnrollTimeoutAndItsHostIsRemoved() throws Exception {
    start(Duration.ofSeconds(1));
    ec2.publicIp("127.0.0.1"); // the instance runs, but no agent listens at its address
    ZoneCreate create = new ZoneCreate("eu1", "aws", "eu-central-1", Map.of("allow-from", "203.0.113.7/32",
        "agent-port", "1"));
    ZoneRow row = await(zones.createAndWait(create));
    assertFailedAndClean(row, "did not answer within 1 s", null);
    assertThat(row.reason()).contains("cloud-init");
    assertThat(ec2.calls("TerminateInstances")).hasSize(1);
  }

  private void assertFailedAndClean(ZoneRow row, String says, String code) {
    assertThat(row.state()).isEqualTo(ZoneState.FAILED);
    assertThat(row.reason()).contains(says);
    if (code != null) {
      assertThat(row.reason()).contains(code);
    }
    assertThat(row.step()).as("clean-up done").isNull();
    assertThat(row.certSerial()).isNull();
    assertThat(ec2.liveInstances()).isEmpty();
    assertThat(ec2.groups()).isEmpty();
    assertThat(gce.instances()).isEmpty();
    assertThat(gce.firewalls()).isEmpty();
    assertThat(aws.describe(row.name())).isEmpty();
    assertThat(ledger.zone("other").orElseThrow().state()).as("other zones are not affected").isEqualTo(ZoneState.READY);
  }
}
