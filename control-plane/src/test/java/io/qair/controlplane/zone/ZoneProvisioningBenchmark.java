package io.qair.controlplane.zone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.cloud.aws.Ec2StandIn;
import io.qair.controlplane.api.TestMaster;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's own cost of provisioning aws zones, 1, 10 and 100 at once ({@code -Dqair.bench.sizes}),
 * against the EC2 stand-in with a simulated latency on every cloud call ({@code qair.bench.latency-ms},
 * default 200), and the Admin API's {@code GET /api/v1/zones} ({@code qair zone ls}) meanwhile.
 *
 * <p>The master is the real one ({@code MasterMain}, as {@code ./qair up} starts it) in a JVM of its
 * own, so its CPU time ({@code /proc}, via {@link ProcessHandle.Info#totalCpuDuration}) is its
 * alone; the stand-in, the zone agents ({@link HostSimulator}, started as an instance launches, as
 * if baked into the image) and the measuring client run in this JVM. Per zone:
 *
 * <ul>
 *   <li><b>wall</b>: from the POST to the master's {@code zone-state READY} event (its timestamp);
 *   <li><b>cloud</b>: what the simulated cloud makes a zone wait: (its cloud calls) x latency, plus the
 *       adapter's poll sleeps; the agent's start is waited for too when it was not up yet;
 *   <li><b>overhead</b> = wall - max(POST + cloud, agent up): the master's own wall time;
 *   <li><b>CPU</b>: the master's CPU time in the round / zones (its idle rate, measured after the
 *       rounds, is printed apart);
 *   <li><b>zone ls</b>: latency of {@code GET /api/v1/zones} from a client process of its own
 *       ({@link ZoneListProbe}), side by side with {@code GET /api/v1/labels}, which answers without
 *       the store: the difference is what listing zones costs under load, the rest is the machine.
 * </ul>
 *
 * <p>The simulated cloud and its agents stand for other machines, so this JVM runs at
 * {@code nice} 10 ({@code -Dqair.bench.nice=0} to turn that off) while master and probe run at the
 * normal priority.
 *
 * <p>Run: {@code bench/zones} or {@code mvn -o -B -pl control-plane -am verify -Pbench}. Numbers are
 * printed, never asserted.
 */
class ZoneProvisioningBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long LATENCY = Long.getLong("qair.bench.latency-ms", 200);
  private static final long POLL = Long.getLong("qair.bench.poll-ms", 50);
  @TempDir Path tmp;

  private final Map<String, Long> created = new ConcurrentHashMap<>();
  private final Map<String, Long> ready = new ConcurrentHashMap<>();
  private final Map<String, String> failed = new ConcurrentHashMap<>();
  private final List<long[]> lsSamples = new CopyOnWriteArrayList<>(); // {epoch ms, nanos, 0 zones / 1 labels}
  private volatile boolean probing = true;
  private int port = 21_000 + new java.util.Random().nextInt(6_000);
  private HttpClient http;
  private URI api;
  private String token;

  @Test
  void provisionZonesInParallel() throws Exception {
    int[] sizes = Arrays.stream(System.getProperty("qair.bench.sizes", "1,10,100").split(","))
        .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
    int nice = Integer.getInteger("qair.bench.nice", 10);
    try (Ec2StandIn ec2 = new Ec2StandIn()) {
      ec2.publicIp("127.0.0.1");
      ec2.latency(Duration.ofMillis(LATENCY));
      Process master = startMaster(ec2.baseUrl());
      Process probe = null;
      try {
        connect(master);
        probe = startProbe();
        // the simulated cloud and its agents stand for other machines: below the master's priority
        renice(nice);
        try (HostSimulator hosts = HostSimulator.ec2(ec2, tmp.resolve("hosts"), true)) {
          Thread events = new Thread(this::followEvents, "bench-events");
          events.setDaemon(true);
          events.start();
          System.out.printf("simulated cloud latency %d ms per call, adapter poll interval %d ms, simulation at nice %d,"
              + " %d cores, load %s%n", LATENCY, POLL, nice, Runtime.getRuntime().availableProcessors(),
              Files.readString(Path.of("/proc/loadavg")).strip());
          round(master, ec2, hosts, "warm", 5, false); // JIT and class loading, not reported
          System.out.printf("%-6s %-24s %-10s %-24s %-14s %-26s%n", "zones", "wall/zone p50 max (ms)", "cloud (ms)",
              "overhead/zone p50 max", "CPU/zone (ms)", "zone ls p50 p99 max (ms) [n] | labels (baseline) p50 p99 max");
          for (int size : sizes) {
            round(master, ec2, hosts, "n" + size, size, true);
          }
          Thread.sleep(5_000);
          Duration cpu0 = cpu(master);
          long idleFrom = System.currentTimeMillis();
          Thread.sleep(10_000);
          long idleTo = System.currentTimeMillis();
          System.out.printf("%-6s %-24s %-10s %-24s %-14s %s%n", "idle", "", "", "",
              String.format("%.1f%% CPU", (cpu(master).toNanos() - cpu0.toNanos()) / 1e4 / (idleTo - idleFrom)),
              ls(idleFrom, idleTo));
        }
      } finally {
        probing = false;
        if (probe != null) {
          probe.getOutputStream().close();
          probe.destroy();
        }
        master.destroy();
        if (!master.waitFor(30, TimeUnit.SECONDS)) {
          master.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** Every thread of this JVM (and so every thread it starts from now on) to {@code nice}. */
  private static void renice(int nice) throws Exception {
    if (nice == 0) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(t -> cmd.add(t.getFileName().toString()));
    }
    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }

  /** The zone ls probe, in its own JVM at normal priority; its lines go to {@link #lsSamples}. */
  private Process startProbe() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), ZoneListProbe.class.getName(), api.toString(),
        tmp.resolve("master").resolve("token").toString(), tmp.resolve("master").resolve("ca").resolve("ca.pem").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Thread reader = new Thread(() -> {
      try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
        for (String line; (line = r.readLine()) != null; ) {
          String[] f = line.split(" ");
          if (f.length == 4 && f[2].equals("200")) {
            lsSamples.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), f[3].endsWith("/zones") ? 0 : 1});
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        // the probe ended
      }
    }, "bench-probe-reader");
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  /** Creates {@code n} zones at once and waits until all are READY; prints a line unless warming up. */
  private void round(Process master, Ec2StandIn ec2, HostSimulator hosts, String prefix, int n, boolean report)
      throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(prefix + "z" + i);
    }
    int calls0 = ec2.calls().size();
    int describes0 = ec2.calls("DescribeInstances").size();
    Duration cpu0 = cpu(master);
    long t0 = System.nanoTime();
    long from = System.currentTimeMillis();
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
    Map<String, Long> posted = new ConcurrentHashMap<>();
    for (String name : names) {
      port = freePortFrom(port + 1);
      String body = JSON.writeValueAsString(Map.of("name", name, "provider", "aws", "region", "eu-central-1",
          "options", Map.of("allow-from", "127.0.0.1/32", "instance-type", "t3.small", "agent-port", "" + port)));
      posted.put(name, System.currentTimeMillis());
      posts.add(http.sendAsync(request("/api/v1/zones").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (var p : posts) {
      HttpResponse<String> r = p.get(120, TimeUnit.SECONDS);
      if (r.statusCode() / 100 != 2) {
        throw new AssertionError("POST /api/v1/zones: " + r.statusCode() + " " + r.body());
      }
    }
    long deadline = System.currentTimeMillis() + 600_000;
    while (!names.stream().allMatch(ready::containsKey) && System.currentTimeMillis() < deadline) {
      if (names.stream().anyMatch(failed::containsKey)) {
        throw new AssertionError("zones failed: " + failed);
      }
      Thread.sleep(20);
    }
    if (!names.stream().allMatch(ready::containsKey)) {
      throw new AssertionError("not all zones READY within 10 minutes");
    }
    double roundMs = (System.nanoTime() - t0) / 1e6;
    double cpuMs = (cpu(master).toNanos() - cpu0.toNanos()) / 1e6;
    double callsPerZone = (ec2.calls().size() - calls0) / (double) n;
    double describesPerZone = (ec2.calls("DescribeInstances").size() - describes0) / (double) n;
    // one DescribeInstances looks for an existing host, the rest poll, with a sleep between two polls
    double cloud = callsPerZone * LATENCY + Math.max(0, describesPerZone - 2) * POLL;
    Map<String, Long> up = hosts.agentUpTimes();
    long[] wall = names.stream().mapToLong(z -> ready.get(z) - posted.get(z)).sorted().toArray();
    long[] overhead = names.stream().mapToLong(z -> ready.get(z)
        - Math.max(posted.get(z) + (long) cloud, up.getOrDefault(z, 0L))).sorted().toArray();
    if (report) {
      System.out.printf("%-6d %-24s %-10s %-24s %-14s %-26s%n", n, pct(wall, 50) + " " + wall[wall.length - 1],
          String.format("%.0f", cloud), pct(overhead, 50) + " " + overhead[overhead.length - 1],
          String.format("%.1f", cpuMs / n), ls(from, System.currentTimeMillis()) + String.format("  (%.1f calls/zone, round %.1f s)",
              callsPerZone, roundMs / 1000));
    }
  }

  private Process startMaster(String endpoint) throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    Path jar;
    try (Stream<Path> s = Files.list(target)) {
      jar = s.filter(p -> p.getFileName().toString().matches("qair-control-plane-.*\\.jar")
          && !p.getFileName().toString().endsWith("-tests.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no control-plane jar in " + target + ": run the package phase"));
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // as ./qair up starts it; the adapter settings point the aws adapter at the stand-in
    List<String> cmd = new ArrayList<>(List.of(java, "-Xms64m", "-XX:+UseSerialGC"));
    String extra = System.getProperty("qair.bench.master-jvm-options", "").strip(); // e.g. a JFR recording
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(List.of("-Dqair.adapter.endpoint=" + endpoint, "-Dqair.adapter.poll-interval-ms=" + POLL,
        "-Dqair.adapter.boot-timeout-seconds=300",
        "-Dqair.adapter.agent.dist-url=https://dist.example/qair-zone-agent.tar.gz?sig=x",
        "-Dqair.adapter.agent.dist-sha256=" + "ab".repeat(32),
        "-Dqair.reconcile-seconds=3600", "-Dqair.enroll-retry-ms=50",
        "-cp", jar + ":" + target.resolve("lib") + "/*", "io.qair.controlplane.MasterMain",
        "--data-dir", tmp.resolve("master").toString(), "--port", "0", "--default-zone", "none"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("AWS_ACCESS_KEY_ID", "AKIDQAIRTEST");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
    pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("master-console.log").toFile());
    return pb.start();
  }

  /** Waits for the master's port (from its log), token and CA. */
  private void connect(Process master) throws Exception {
    Path log = tmp.resolve("master").resolve("master.log");
    long deadline = System.currentTimeMillis() + 120_000;
    java.util.regex.Pattern listening = java.util.regex.Pattern.compile("Admin API listening on https://127\\.0\\.0\\.1:(\\d+)");
    while (System.currentTimeMillis() < deadline) {
      if (!master.isAlive()) {
        throw new AssertionError("the master exited: " + Files.readString(tmp.resolve("master-console.log")));
      }
      if (Files.exists(log) && Files.readString(log).contains("master admin ready")) {
        java.util.regex.Matcher m = listening.matcher(Files.readString(log));
        int apiPort = -1;
        while (m.find()) {
          apiPort = Integer.parseInt(m.group(1));
        }
        api = URI.create("https://127.0.0.1:" + apiPort);
        token = Files.readString(tmp.resolve("master").resolve("token")).strip();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(TestMaster.trusting(tmp.resolve("master").resolve("ca").resolve("ca.pem"))).build();
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the master did not start within 120 s");
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60));
  }

  /** Zone creation and state changes from the master's event stream, with the master's timestamps. */
  private void followEvents() {
    try {
      HttpResponse<Stream<String>> r = http.send(request("/api/v1/events").header("Last-Event-ID", "0").GET()
          .timeout(Duration.ofDays(1)).build(), HttpResponse.BodyHandlers.ofLines());
      r.body().filter(l -> l.startsWith("data: ")).forEach(l -> {
        try {
          JsonNode e = JSON.readTree(l.substring("data: ".length()));
          String zone = e.path("subject").asText();
          switch (e.path("type").asText()) {
            case "zone-created" -> created.put(zone, e.path("timestamp").asLong());
            case "zone-state" -> {
              String state = e.path("data").path("state").asText();
              if (state.equals("READY")) {
                ready.putIfAbsent(zone, e.path("timestamp").asLong());
              } else if (state.equals("FAILED")) {
                failed.put(zone, e.path("data").path("reason").asText());
              }
            }
            default -> { }
          }
        } catch (java.io.IOException ex) {
          System.err.println("event: " + ex);
        }
      });
    } catch (Exception e) {
      if (probing) {
        System.err.println("event stream: " + e);
      }
    }
  }

  /** p50, p99 and max of the zone ls requests sent from {@code from} to {@code to} (epoch ms). */
  private String ls(long from, long to) {
    return latencies(from, to, 0) + " | labels " + latencies(from, to, 1);
  }

  private String latencies(long from, long to, int which) {
    long[] ms = lsSamples.stream().filter(s -> s[0] >= from && s[0] < to && s[2] == which).mapToLong(s -> s[1])
        .sorted().toArray();
    if (ms.length == 0) {
      return "-";
    }
    return String.format("%.1f %.1f %.1f [%d]", ms[ms.length / 2] / 1e6, ms[(int) Math.min(ms.length - 1,
        Math.ceil(ms.length * 0.99) - 1)] / 1e6, ms[ms.length - 1] / 1e6, ms.length);
  }

  private static long pct(long[] sorted, int p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p / 100.0) - 1))];
  }

  private static Duration cpu(Process p) {
    return p.info().totalCpuDuration().orElseThrow(() -> new AssertionError("no CPU time for the master process"));
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
