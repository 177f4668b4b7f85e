package io.qair.controlplane.zone;

import static io.qair.controlplane.zone.TestAgents.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.CloudAdapters;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local zone end to end: the local adapter starts a real agent process, the master enrolls it
 * over mutual TLS, stops and restarts it (it stays enrolled), and removes it.
 */
class LocalZoneIT {
  @TempDir Path tmp;
  Vertx vertx;
  MasterPki pki;
  InMemoryLedger ledger;
  CloudAdapter local;
  AgentClients clients;
  ZoneManager zones;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    pki = MasterPki.loadOrCreate(tmp.resolve("master"));
    ledger = new InMemoryLedger();
    local = CloudAdapters.load("local", new AdapterContext(tmp.resolve("zones"), Map.of(
        "agent.classpath", System.getProperty("java.class.path"),
        "agent.main", FakeBackendAgentMain.class.getName(),
        "agent.backend", "fake")));
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, Clock.systemUTC());
    clients = new AgentClients(vertx, pki, ledger);
    zones = new ZoneManager(vertx, ledger, tokens, new Enroller(vertx, pki, tokens), pki, p -> local, clients);
  }

  @AfterEach
  void tearDown() {
    try {
      local.deprovision("work");
    } catch (RuntimeException ignored) {
      // already gone
    }
    clients.close();
    vertx.close();
  }

  /**
   * The zone agent as the build ships it ({@code zone-agent/target}: jar, {@code lib/}, guest
   * daemon) with its real isolation backend: checks the distribution starts and enrolls.
   */
  @Test
  void theBuiltAgentDistributionEnrolls() throws Exception {
    Path dist = Path.of("..", "zone-agent", "target").toAbsolutePath().normalize();
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dist.resolve("lib")),
        "zone-agent is not packaged");
    local = CloudAdapters.load("local", new AdapterContext(tmp.resolve("dist-zones"), Map.of(
        "agent.dist", dist.toString())));
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, Clock.systemUTC());
    zones = new ZoneManager(vertx, ledger, tokens, new Enroller(vertx, pki, tokens), pki, p -> local, clients);
    ZoneRow row = await(zones.createAndWait(new ZoneCreate("work", "local", null, Map.of())));
    // a failed start is reported with the tail of the agent's log
    org.junit.jupiter.api.Assumptions.assumeFalse(row.state() == ZoneState.FAILED
        && String.valueOf(row.reason()).contains("no isolation backend can run"),
        "the sandbox backend cannot run here: " + row.reason());
    assertThat(row.state()).as(String.valueOf(row.reason())).isEqualTo(ZoneState.READY);
    assertThat(await(clients.client("work").compose(AgentClient::info)).backend()).isEqualTo("sandbox");
    await(zones.remove("work", false));
  }

  @Test
  void createStopResumeRemove() throws Exception {
    ZoneRow ready = await(zones.createAndWait(new ZoneCreate("work", "local", null, Map.of())));
    assertThat(ready.state()).as(String.valueOf(ready.reason())).isEqualTo(ZoneState.READY);
    assertThat(await(clients.client("work").compose(AgentClient::info)).backend()).isEqualTo("fake");
    Path dir = tmp.resolve("zones/work");
    assertThat(dir.resolve("enroll.token")).doesNotExist();
    assertThat(dir.resolve("agent.pem")).exists();

    await(zones.stopHosts("local"));
    assertThat(local.describe("work").orElseThrow().state()).isEqualTo(io.qair.cloud.spi.HostState.STOPPED);

    ZoneRow back = await(zones.resume()).get(0);
    assertThat(back.state()).isEqualTo(ZoneState.READY);
    assertThat(back.certSerial()).isEqualTo(ready.certSerial());
    assertThat(await(clients.client("work").compose(AgentClient::qubes))).isEmpty();

    long pid = Long.parseLong(local.describe("work").orElseThrow().providerId().substring(4));
    await(zones.remove("work", false));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Files.exists(dir)).isFalse();
    assertThat(ledger.isRevoked(ready.certSerial())).isTrue();
    try (AgentClient c = AgentClient.create(vertx, pki, ledger, "work", back.address(), back.certSerial())) {
      QairException e = org.junit.jupiter.api.Assertions.assertThrows(QairException.class, () -> await(c.info()));
      assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    }
  }
}
