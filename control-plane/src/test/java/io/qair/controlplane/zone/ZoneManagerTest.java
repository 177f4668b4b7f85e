package io.qair.controlplane.zone;

import static io.qair.controlplane.zone.TestAgents.await;
import static io.qair.controlplane.zone.TestAgents.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneManagerTest {
  @TempDir Path tmp;
  Vertx vertx;
  MasterPki pki;
  InMemoryLedger ledger;
  TestAgents agents;
  InProcessAdapter adapter;
  AgentClients clients;
  ZoneManager zones;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    pki = MasterPki.loadOrCreate(tmp.resolve("master"));
    ledger = new InMemoryLedger();
    agents = new TestAgents(tmp.resolve("zones"));
    adapter = new InProcessAdapter(agents);
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, Clock.systemUTC());
    clients = new AgentClients(vertx, pki, ledger);
    zones = new ZoneManager(vertx, ledger, tokens, new Enroller(vertx, pki, tokens), pki, provider -> {
      if (!provider.equals("inproc")) {
        throw QairException.badRequest("unknown provider '" + provider + "'");
      }
      return adapter;
    }, clients, java.time.Duration.ofSeconds(20), java.time.Duration.ofMillis(100), java.util.Set.of());
  }

  @AfterEach
  void tearDown() {
    zones.close();
    clients.close();
    agents.close();
    vertx.close();
  }

  static ZoneCreate create(String name) {
    return new ZoneCreate(name, "inproc", null, Map.of());
  }

  @Test
  void createRecordsEachStepBeforeItsSideEffectAndEndsReady() throws Exception {
    ZoneRow ready = await(zones.createAndWait(create("work")));
    assertThat(ready.state()).isEqualTo(ZoneState.READY);
    assertThat(ready.address()).startsWith("127.0.0.1:");
    assertThat(ready.certSerial()).isNotBlank();
    assertThat(ledger.history).extracting(r -> r.state() + "/" + r.step()).containsExactly(
        "PENDING/null", "PROVISIONING/provision", "ENROLLING/enroll", "ENROLLING/complete", "READY/null");
    assertThat(ledger.history.get(3).certSerial()).isEqualTo(ready.certSerial());
    assertThat(await(clients.client("work").compose(AgentClient::info)).zone()).isEqualTo("work");
    assertThat(adapter.discover(pki.masterId())).hasSize(1);
  }

  @Test
  void createAnswersPendingAndProvisionsInTheBackground() throws Exception {
    ZoneRow row = await(zones.create(create("work")));
    assertThat(row.state()).isEqualTo(ZoneState.PENDING);
    long deadline = System.currentTimeMillis() + 20_000;
    while (ledger.zone("work").orElseThrow().state() != ZoneState.READY && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ledger.zone("work").orElseThrow().state()).isEqualTo(ZoneState.READY);
  }

  @Test
  void aProviderFailureLeavesTheZoneFailedWithTheReasonAndCleansUp() throws Exception {
    adapter.failProvision = true;
    ZoneRow row = await(zones.createAndWait(create("work")));
    assertThat(row.state()).isEqualTo(ZoneState.FAILED);
    assertThat(row.reason()).contains("no capacity");
    assertThat(adapter.calls).containsExactly("provision work", "deprovision work", "stop work");
  }

  @Test
  void anEnrollmentRefusalFailsTheZoneAndRemovesItsHost() throws Exception {
    adapter.replaceToken = "forged-token";
    ZoneRow row = await(zones.createAndWait(create("work")));
    assertThat(row.state()).isEqualTo(ZoneState.FAILED);
    assertThat(row.reason()).contains("unknown token");
    assertThat(row.certSerial()).isNull();
    assertThat(adapter.running).isEmpty();
  }

  @Test
  void badRequestsAreRefusedBeforeAnythingIsRecorded() {
    assertThat(failure(zones.create(new ZoneCreate("Bad_Name", "inproc", null, Map.of()))).kind())
        .isEqualTo(ErrorKind.BAD_REQUEST);
    assertThat(failure(zones.create(new ZoneCreate("work", "nowhere", null, Map.of()))).getMessage())
        .contains("unknown provider");
    assertThat(failure(zones.create(new ZoneCreate("qair-master", "inproc", null, Map.of()))).getMessage())
        .contains("reserved");
    assertThat(ledger.zones).isEmpty();
  }

  @Test
  void removeRevokesTheCertificateRemovesTheHostAndTheRow() throws Exception {
    ZoneRow ready = await(zones.createAndWait(create("work")));
    String address = ready.address();
    await(zones.remove("work", false));

    assertThat(ledger.isRevoked(ready.certSerial())).isTrue();
    assertThat(ledger.zone("work")).isEmpty();
    assertThat(adapter.calls).contains("deprovision work");
    assertThat(failure(zones.create(create("work")).compose(r -> Future.failedFuture(
        QairException.notFound("sentinel")))).getMessage()).isEqualTo("sentinel");
    try (AgentClient old = AgentClient.create(vertx, pki, ledger, "work", address, ready.certSerial())) {
      assertThat(failure(old.info()).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    }
  }

  @Test
  void removeRefusesAZoneWithQubesUnlessForced() throws Exception {
    await(zones.createAndWait(create("work")));
    ledger.qubes.put("work", 2);
    QairException e = failure(zones.remove("work", false));
    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
    assertThat(e.getMessage()).contains("2 qube(s)");
    assertThat(ledger.zone("work").orElseThrow().state()).isEqualTo(ZoneState.READY);
    await(zones.remove("work", true));
    assertThat(ledger.zone("work")).isEmpty();
  }

  @Test
  void resumeRestartsAStoppedHostAndRecordsItsNewAddress() throws Exception {
    ZoneRow ready = await(zones.createAndWait(create("work")));
    await(zones.stopHosts("inproc"));
    var after = await(zones.resume());
    assertThat(after).hasSize(1);
    assertThat(after.get(0).state()).isEqualTo(ZoneState.READY);
    assertThat(after.get(0).certSerial()).isEqualTo(ready.certSerial());
    assertThat(adapter.calls).contains("start work");
    assertThat(await(clients.client("work").compose(AgentClient::qubes))).isEmpty();
  }

  private ZoneRow awaitSettled(String zone) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      ZoneRow r = ledger.zone(zone).orElseThrow();
      if ((r.state() == ZoneState.READY || r.state() == ZoneState.FAILED) && r.step() == null) {
        return r;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("zone " + zone + " did not settle: " + ledger.zone(zone));
  }

  @Test
  void resumeFinishesAZoneCutOffBeforeItsHostWasMade() throws Exception {
    ledger.insertZone(ZoneRow.pending("half", "inproc", null, Map.of()));
    ledger.updateZone("half", ZoneState.PROVISIONING, null, null, "provision", null);
    var after = await(zones.resume());
    assertThat(after).extracting(ZoneRow::name).containsExactly("half");
    ZoneRow done = awaitSettled("half");
    assertThat(done.state()).isEqualTo(ZoneState.READY);
    assertThat(await(clients.client("half").compose(AgentClient::info)).zone()).isEqualTo("half");
  }

  @Test
  void resumeAtCompleteIsReadyWhenTheAgentHoldsThePinnedCertificate() throws Exception {
    ZoneRow ready = await(zones.createAndWait(create("work")));
    ledger.updateZone("work", ZoneState.ENROLLING, ready.address(), null, "complete", ready.certSerial());
    await(zones.resume());
    ZoneRow done = awaitSettled("work");
    assertThat(done.state()).isEqualTo(ZoneState.READY);
    assertThat(done.certSerial()).isEqualTo(ready.certSerial());
    assertThat(adapter.calls).containsExactly("provision work");
  }

  @Test
  void resumeStartsOverWhenTheAgentNeverGotItsCertificate() throws Exception {
    ledger.insertZone(ZoneRow.pending("half", "inproc", null, Map.of()));
    ledger.updateZone("half", ZoneState.ENROLLING, "127.0.0.1:1", null, "complete", "abc");
    await(zones.resume());
    ZoneRow done = awaitSettled("half");
    assertThat(done.state()).isEqualTo(ZoneState.READY);
    assertThat(done.certSerial()).isNotEqualTo("abc");
    assertThat(ledger.isRevoked("abc")).isTrue();
    assertThat(adapter.calls).containsSubsequence("deprovision half", "provision half");
  }

  @Test
  void resumeStartsOverWhenTheHostsTokenNoLongerEnrolls() throws Exception {
    adapter.replaceToken = "expired-or-burned";
    ledger.insertZone(ZoneRow.pending("half", "inproc", null, Map.of()));
    ledger.updateZone("half", ZoneState.ENROLLING, null, null, "enroll", null);
    await(zones.resume());
    long deadline = System.currentTimeMillis() + 10_000;
    while (adapter.calls.stream().filter(c -> c.equals("provision half")).count() < 2
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    adapter.replaceToken = null; // the second provisioning delivers its own token
    ZoneRow done = awaitSettled("half");
    assertThat(done.state()).isIn(ZoneState.READY, ZoneState.FAILED);
    assertThat(adapter.calls).containsSubsequence("provision half", "deprovision half", "provision half");
  }

  @Test
  void reconcileRemovesHostsTheStoreDoesNotKnowAndReportsLostOnes() throws Exception {
    await(zones.createAndWait(create("work")));
    adapter.provision(new io.qair.cloud.spi.ZoneRequest("ghost", null, Map.of()),
        new io.qair.cloud.spi.Bootstrap("t", pki.caCertPem(), pki.caFingerprint(), pki.masterId()));
    adapter.provision(new io.qair.cloud.spi.ZoneRequest("other", null, Map.of()),
        new io.qair.cloud.spi.Bootstrap("t", pki.caCertPem(), pki.caFingerprint(), "another-master"));

    var report = await(zones.reconcile());
    assertThat(report.orphansRemoved()).containsExactly("ghost");
    assertThat(report.lost()).isEmpty();
    assertThat(adapter.masters).containsOnlyKeys("work", "other");

    adapter.deprovision("work"); // the cloud loses the host
    report = await(zones.reconcile());
    assertThat(report.lost()).containsExactly("work");
    ZoneRow lost = ledger.zone("work").orElseThrow();
    assertThat(lost.state()).isEqualTo(ZoneState.UNREACHABLE);
    assertThat(lost.reason()).startsWith("lost: ").contains("qair zone rm work");
    assertThat(await(zones.reconcile()).lost()).as("reported once").isEmpty();
  }

  @Test
  void reconcileFinishesTheCleanUpOfAFailedZone() throws Exception {
    ledger.insertZone(ZoneRow.pending("bad", "inproc", null, Map.of()));
    adapter.provision(new io.qair.cloud.spi.ZoneRequest("bad", null, Map.of()),
        new io.qair.cloud.spi.Bootstrap("t", pki.caCertPem(), pki.caFingerprint(), pki.masterId()));
    ledger.updateZone("bad", ZoneState.FAILED, null, "quota", "cleanup", null);
    await(zones.reconcile());
    assertThat(adapter.masters).doesNotContainKey("bad");
    assertThat(ledger.zone("bad").orElseThrow().step()).isNull();
    assertThat(ledger.zone("bad").orElseThrow().reason()).isEqualTo("quota");
  }
}
