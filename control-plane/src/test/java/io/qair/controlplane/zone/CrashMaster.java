package io.qair.controlplane.zone;

import io.qair.cloud.gcp.GceStandIn;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.CloudAdapters;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The master's zone layer alone, in a JVM of its own, for {@link ZoneProvisioningCrashIT}: the
 * real store, PKI, enrollment and aws or gcp adapter (against the EC2 or Compute Engine stand-in of
 * the test's JVM). It
 * resumes what the store says (as the master does at start), then creates the zones of a list
 * that the store does not have yet, {@code parallel} at a time, prints {@code accepted NAME} once
 * a zone's row is committed, and {@code settled} when every zone is READY or FAILED and a
 * reconcile pass has run. The test kills it with SIGKILL at any moment.
 *
 * <p>Arguments: {@code DATA_DIR PROVIDER ENDPOINT ZONES_FILE PARALLEL} ({@code PROVIDER}: aws or
 * gcp); each line of the zones file is
 * {@code NAME AGENT_PORT}.
 */
public final class CrashMaster {
  private CrashMaster() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    String provider = args[1];
    String endpoint = args[2];
    List<String[]> wanted = Files.readAllLines(Path.of(args[3])).stream().map(l -> l.split(" ")).toList();
    int parallel = Integer.parseInt(args[4]);

    Vertx vertx = Vertx.vertx();
    Store store = Store.open(data.resolve("master"));
    MasterPki pki = MasterPki.loadOrCreate(data.resolve("master"));
    ZoneLedger ledger = StoreLedger.of(store);
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, Clock.systemUTC());
    AgentClients clients = new AgentClients(vertx, pki, ledger);
    Map<String, String> settings = Map.of("endpoint", endpoint, "poll-interval-ms", "20", "boot-timeout-seconds", "30",
        "agent.dist-url", "https://dist.example/qair-zone-agent.tar.gz?sig=x", "agent.dist-sha256", "ab".repeat(32),
        "project", "qair-test");
    CloudAdapter adapter = provider.equals("gcp")
        ? GceStandIn.adapter(endpoint, data.resolve("zones"), settings)
        : CloudAdapters.load(provider, new AdapterContext(data.resolve("zones"), settings));
    ZoneManager zones = new ZoneManager(vertx, ledger, tokens, new Enroller(vertx, pki, tokens), pki, p -> adapter,
        clients, Duration.ofSeconds(30), Duration.ofMillis(100), Set.of(provider));

    await(zones.resume());
    List<Future<ZoneRow>> running = new ArrayList<>();
    for (String[] z : wanted) {
      if (store.zone(z[0]).isPresent()) {
        continue;
      }
      while (running.stream().filter(f -> !f.isComplete()).count() >= parallel) {
        Thread.sleep(10);
      }
      ZoneCreate create = provider.equals("gcp")
          ? new ZoneCreate(z[0], "gcp", "us-central1-a", Map.of("allow-from", "127.0.0.1/32",
              "machine-type", "e2-small", "agent-port", z[1]))
          : new ZoneCreate(z[0], "aws", "eu-central-1", Map.of("allow-from", "127.0.0.1/32",
              "instance-type", "t3.small", "agent-port", z[1]));
      running.add(zones.createAndWait(create));
      while (store.zone(z[0]).isEmpty()) {
        Thread.sleep(5);
      }
      System.out.println("accepted " + z[0]);
    }
    long deadline = System.currentTimeMillis() + 200_000;
    while (!settled(store) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    ZoneReconciler.Report report = await(zones.reconcile());
    System.out.println("orphans " + report.orphansRemoved());
    System.out.println(settled(store) ? "settled" : "not settled");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static boolean settled(Store store) {
    return store.zones().stream().allMatch(r -> r.step() == null
        && (r.state() == ZoneState.READY || r.state() == ZoneState.FAILED));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
