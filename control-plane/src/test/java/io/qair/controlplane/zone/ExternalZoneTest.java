package io.qair.controlplane.zone;

import static io.qair.controlplane.zone.TestAgents.await;
import static io.qair.controlplane.zone.TestAgents.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.qair.cloud.bootstrap.HostSetup;
import io.qair.cloud.external.ExternalCloudAdapter;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zone whose host someone else makes (the Terraform modules): create with provider external,
 * take the host setup, boot a real agent from what the user-data delivers, adopt it by address.
 */
class ExternalZoneTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  @TempDir Path tmp;
  Vertx vertx;
  InMemoryLedger ledger;
  TestAgents agents;
  AgentClients clients;
  ZoneManager zones;
  int port;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    MasterPki pki = MasterPki.loadOrCreate(tmp.resolve("master"));
    ledger = new InMemoryLedger();
    agents = new TestAgents(tmp.resolve("hosts"));
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, Clock.systemUTC());
    clients = new AgentClients(vertx, pki, ledger);
    CloudAdapter external = new ExternalCloudAdapter();
    external.init(new AdapterContext(tmp.resolve("zones/.external"), Map.of("poll-interval-ms", "50",
        "boot-timeout-seconds", "10")));
    zones = new ZoneManager(vertx, ledger, tokens, new Enroller(vertx, pki, tokens), pki, provider -> {
      if (!provider.equals("external")) {
        throw QairException.badRequest("unknown provider '" + provider + "'");
      }
      return external;
    }, clients, Duration.ofSeconds(20), Duration.ofMillis(100), Set.of());
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void tearDown() {
    zones.close();
    clients.close();
    agents.close();
    vertx.close();
  }

  private ZoneCreate create(String name) {
    return new ZoneCreate(name, "external", null, Map.of("agent-port", Integer.toString(port),
        "agent-url", "https://dist.example/qair-zone-agent.tar.gz", "agent-sha256", "ab".repeat(32)));
  }

  @Test
  void aHostBootedFromTheHostSetupIsAdoptedAndEnrolled() throws Exception {
    await(zones.create(create("tf1")));
    awaitStep("tf1", "boot");
    Map<String, String> setup = await(zones.hostSetup("tf1"));
    String userData = setup.get(ExternalCloudAdapter.USER_DATA);
    assertThat(userData).startsWith("#cloud-config\n").contains("- [" + HostSetup.INSTALL_SCRIPT + "]");
    assertThat(setup.get(ExternalCloudAdapter.STARTUP_SCRIPT)).startsWith("#!/bin/sh\n");
    Map<String, String> files = files(userData);
    agents.start("tf1-host", "tf1", files.get(HostSetup.TOKEN_FILE).strip(), files.get(HostSetup.CA_FILE), port);

    await(zones.adopt("tf1", "127.0.0.1"));
    ZoneRow ready = awaitState("tf1", ZoneState.READY);
    assertThat(ready.address()).isEqualTo("127.0.0.1:" + port);
    assertThat(await(clients.client("tf1").compose(AgentClient::info)).zone()).isEqualTo("tf1");
    assertThat(failure(zones.hostSetup("tf1")).kind()).as("no token for an enrolled zone").isEqualTo(ErrorKind.CONFLICT);

    await(zones.remove("tf1", false));
    assertThat(ledger.zone("tf1")).isEmpty();
  }

  @Test
  void everyHostSetupCarriesAFreshToken() throws Exception {
    await(zones.create(create("tf2")));
    awaitStep("tf2", "boot");
    String first = files(await(zones.hostSetup("tf2")).get(ExternalCloudAdapter.USER_DATA)).get(HostSetup.TOKEN_FILE);
    String second = files(await(zones.hostSetup("tf2")).get(ExternalCloudAdapter.USER_DATA)).get(HostSetup.TOKEN_FILE);
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void badAddressesAndUnknownZonesAreRefused() throws Exception {
    await(zones.create(create("tf3")));
    awaitStep("tf3", "boot");
    assertThat(failure(zones.adopt("tf3", "127.0.0.1:7444; rm -rf /")).kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    assertThat(failure(zones.adopt("tf3", "")).kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    assertThat(failure(zones.adopt("nope", "127.0.0.1")).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(failure(zones.hostSetup("nope")).kind()).isEqualTo(ErrorKind.NOT_FOUND);
  }

  @Test
  void aZoneNeverAdoptedFailsWithWhatToDo() throws Exception {
    ZoneRow row = await(zones.createAndWait(create("tf4")));
    assertThat(row.state()).isEqualTo(ZoneState.FAILED);
    assertThat(row.reason()).contains("was not adopted").contains("qair zone adopt tf4");
  }

  private void awaitStep(String zone, String step) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!step.equals(ledger.zone(zone).map(ZoneRow::step).orElse(null)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ledger.zone(zone).orElseThrow().step()).isEqualTo(step);
  }

  private ZoneRow awaitState(String zone, ZoneState state) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (ledger.zone(zone).orElseThrow().state() != state && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    ZoneRow row = ledger.zone(zone).orElseThrow();
    assertThat(row.state()).as(row.reason()).isEqualTo(state);
    return row;
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> files(String cloudConfig) throws java.io.IOException {
    Map<String, Object> doc = YAML.readValue(cloudConfig, Map.class);
    Map<String, String> out = new HashMap<>();
    for (Map<String, Object> f : (List<Map<String, Object>>) doc.get("write_files")) {
      out.put((String) f.get("path"), new String(Base64.getDecoder().decode((String) f.get("content")),
          StandardCharsets.UTF_8));
    }
    return out;
  }
}
