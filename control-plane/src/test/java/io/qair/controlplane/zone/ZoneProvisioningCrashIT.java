package io.qair.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.cloud.aws.Ec2StandIn;
import io.qair.cloud.gcp.GceStandIn;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of zone provisioning: the master's zone layer ({@link CrashMaster}) runs in a
 * child JVM against the EC2 or Compute Engine stand-in of this JVM, whose instances get real zone
 * agents ({@link HostSimulator}); it is killed with SIGKILL at random moments while it provisions
 * zones and started again, until a run is let finish. Then every zone it accepted is in the store,
 * READY or FAILED, and the stand-in holds exactly one running instance and one security group /
 * firewall rule per READY zone: nothing else.
 *
 * <p>Sizes: EC2 {@code qair.crash.zones} (default 20; the run is 50) and
 * {@code qair.crash.kills} (8); Compute Engine {@code qair.crash.gce.zones} (8) and
 * {@code qair.crash.gce.kills} (4), smaller because the two adapters share the master side.
 */
class ZoneProvisioningCrashIT {
  @TempDir Path tmp;

  /** What the test needs of a cloud stand-in. */
  private interface Cloud extends AutoCloseable {
    String provider();

    io.qair.cloud.bootstrap.WireMockStandIn standIn();

    HostSimulator hosts();

    /** The zones of the instances not deleted or terminated, sorted, one entry per instance. */
    List<String> instanceZones();

    /** The zones of the security groups / firewall rules, sorted, one entry per resource. */
    List<String> firewallZones();

    /** Whether every live instance runs. */
    boolean allRunning();

    @Override
    void close() throws Exception;
  }

  @Test
  void ec2KillingTheMasterAtRandomPointsLeavesNoOrphanAndNoLostZone() throws Exception {
    Ec2StandIn ec2 = new Ec2StandIn();
    ec2.publicIp("127.0.0.1");
    HostSimulator hosts = HostSimulator.ec2(ec2, tmp.resolve("hosts"));
    crash(new Cloud() {
      public String provider() {
        return "aws";
      }

      public io.qair.cloud.bootstrap.WireMockStandIn standIn() {
        return ec2;
      }

      public HostSimulator hosts() {
        return hosts;
      }

      public List<String> instanceZones() {
        return ec2.liveInstances().stream().map(i -> i.tags.get("qair:zone")).sorted().toList();
      }

      public List<String> firewallZones() {
        return ec2.groups().stream().map(g -> g.tags.get("qair:zone")).sorted().toList();
      }

      public boolean allRunning() {
        return ec2.liveInstances().stream().allMatch(i -> i.state.equals("running"));
      }

      public void close() throws Exception {
        hosts.close();
        ec2.close();
      }
    }, Integer.getInteger("qair.crash.zones", 20), Integer.getInteger("qair.crash.kills", 8));
  }

  @Test
  void gceKillingTheMasterAtRandomPointsLeavesNoOrphanAndNoLostZone() throws Exception {
    GceStandIn gce = new GceStandIn();
    gce.publicIp("127.0.0.1");
    HostSimulator hosts = HostSimulator.gce(gce, tmp.resolve("hosts"));
    crash(new Cloud() {
      public String provider() {
        return "gcp";
      }

      public io.qair.cloud.bootstrap.WireMockStandIn standIn() {
        return gce;
      }

      public HostSimulator hosts() {
        return hosts;
      }

      public List<String> instanceZones() {
        return gce.instanceSnapshots().stream().map(i -> i.path("labels").path("qair-zone").asText()).sorted().toList();
      }

      public List<String> firewallZones() {
        // firewall rules carry no labels: qair-ZONE-MASTERHASH-agent
        return gce.firewalls().values().stream().map(f -> f.path("name").asText())
            .map(n -> n.substring("qair-".length(), n.lastIndexOf('-', n.length() - "-agent".length() - 1)))
            .sorted().toList();
      }

      public boolean allRunning() {
        return gce.instanceSnapshots().stream().allMatch(i -> i.path("status").asText().equals("RUNNING"));
      }

      public void close() throws Exception {
        hosts.close();
        gce.close();
      }
    }, Integer.getInteger("qair.crash.gce.zones", 8), Integer.getInteger("qair.crash.gce.kills", 4));
  }

  private void crash(Cloud cloud, int zones, int killCount) throws Exception {
    long seed = Long.getLong("qair.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    long started = System.currentTimeMillis();
    Path zonesFile = tmp.resolve("zones.txt");
    List<String> lines = new ArrayList<>();
    int port = 20_000 + random.nextInt(8_000); // below the ephemeral range: no client socket takes it meanwhile
    for (int i = 0; i < zones; i++) {
      port = freePortFrom(port + 1);
      lines.add("crash" + i + " " + port);
    }
    Files.write(zonesFile, lines);
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    int kills = 0;
    try (cloud) {
      io.qair.cloud.bootstrap.WireMockStandIn standIn = cloud.standIn();
      boolean settled = false;
      for (int run = 0; run <= killCount + 3 && !settled; run++) {
        boolean kill = run < killCount;
        long t0 = System.currentTimeMillis();
        Process p = child(cloud.provider(), zonesFile, standIn.baseUrl());
        List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> read(p, out, accepted));
        reader.start();
        String atKill = "";
        if (kill) {
          // kill while it works on the cloud: a random moment after its first call in this run
          int callsBefore = standIn.calls().size();
          long workingBy = System.currentTimeMillis() + 60_000;
          while (standIn.calls().size() == callsBefore && p.isAlive() && System.currentTimeMillis() < workingBy) {
            Thread.sleep(5);
          }
          if (!p.waitFor(random.nextInt(4_000), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            kills++;
            atKill = steps();
          }
        } else if (!p.waitFor(240, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(); // not before the temporary directory goes
          throw new AssertionError("a run without kill did not end within 240 s");
        }
        reader.join(5_000);
        settled = !kill && out.contains("settled");
        System.out.printf("%s run %d: %s after %d ms, %d accepted, %d calls, %d live instances, %d agents; %s%n",
            cloud.provider(), run, atKill.isEmpty() ? "finished" : "killed", System.currentTimeMillis() - t0,
            accepted.size(), standIn.calls().size(), cloud.instanceZones().size(), cloud.hosts().agents(), atKill);
      }
      assertThat(settled).as("the last run settles every zone").isTrue();

      Map<String, ZoneRow> rows;
      try (Store store = Store.open(tmp.resolve("master"))) {
        rows = store.zones().stream().collect(Collectors.toMap(ZoneRow::name, r -> r, (a, b) -> a, TreeMap::new));
      }
      Set<String> ready = rows.values().stream().filter(r -> r.state() == ZoneState.READY).map(ZoneRow::name)
          .collect(Collectors.toCollection(TreeSet::new));
      Map<String, String> failed = rows.values().stream().filter(r -> r.state() == ZoneState.FAILED)
          .collect(Collectors.toMap(ZoneRow::name, ZoneRow::reason));
      System.out.printf("%s: %d zones, %d kills, seed %d: %d ready, %d failed %s, %.1f s%n", cloud.provider(), zones,
          kills, seed, ready.size(), failed.size(), failed, (System.currentTimeMillis() - started) / 1000.0);

      assertThat(rows.keySet()).as("no lost zone record").containsAll(accepted);
      assertThat(rows.values()).allSatisfy(r -> {
        assertThat(r.state()).isIn(ZoneState.READY, ZoneState.FAILED);
        assertThat(r.step()).isNull();
      });
      assertThat(cloud.instanceZones()).as("one instance per ready zone, no orphan").containsExactlyElementsOf(ready);
      assertThat(cloud.allRunning()).as("every instance runs").isTrue();
      assertThat(cloud.firewallZones()).as("one security group / firewall rule per ready zone, no orphan")
          .containsExactlyElementsOf(ready);
      assertThat(failed).as("a crash is not a reason to fail a zone").isEmpty();
      assertThat(kills).isGreaterThan(0);
    }
  }

  /** How many zones the store has at each state/step (after a kill). */
  private String steps() {
    try (Store store = Store.open(tmp.resolve("master"))) {
      return "zones at " + store.zones().stream().collect(Collectors.groupingBy(r -> r.state() + "/" + r.step(),
          TreeMap::new, Collectors.counting()));
    }
  }

  private static void read(Process p, List<String> out, Set<String> accepted) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(line);
        if (line.startsWith("accepted ")) {
          accepted.add(line.substring("accepted ".length()));
        }
      }
    } catch (java.io.IOException e) {
      // the child was killed
    }
  }

  private Process child(String provider, Path zonesFile, String endpoint) throws java.io.IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), CrashMaster.class.getName(), tmp.toString(), provider, endpoint,
        zonesFile.toString(), Integer.getInteger("qair.crash.parallel", 5).toString());
    pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDQAIRTEST");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
    pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    pb.redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target", "zone-crash-it-master-" + provider + ".log")
        .toFile()));
    return pb.start();
  }

  private static int freePortFrom(int port) {
    for (int p = port; ; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
        return p;
      } catch (java.io.IOException e) {
        // taken: the next one
      }
    }
  }
}
