package io.qair.controlplane.zone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.qair.agent.AgentMain;
import io.qair.cloud.aws.Ec2StandIn;
import io.qair.cloud.bootstrap.HostSetup;
import io.qair.cloud.gcp.GceStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plays the zone hosts of a cloud stand-in: every instance that runs gets a real zone agent on
 * loopback (at its agent port), started from what its cloud-init user-data delivers (token and
 * master CA), as the host's first boot would; an instance that stops running loses its agent.
 * Agents outlive the master, as hosts do. The stand-in must give instances the address
 * {@code 127.0.0.1} ({@code publicIp}). Agents boot in parallel, a few at a time.
 */
public final class HostSimulator implements AutoCloseable {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One instance as the simulator needs it; {@code up}: it runs (or is launched, see {@link #ec2}). */
  record Host(String id, String zone, int port, boolean up, String cloudConfig) {}

  private final Supplier<List<Host>> hosts;
  private final TestAgents agents;
  private final Map<String, AgentMain.Running> booted = new ConcurrentHashMap<>();
  private final Set<String> booting = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> upAt = new ConcurrentHashMap<>();
  private final ExecutorService boots = Executors.newFixedThreadPool(8);
  private final Thread thread;
  private volatile boolean closed;

  private HostSimulator(Supplier<List<Host>> hosts, Path hostsDir) {
    this.hosts = hosts;
    this.agents = new TestAgents(hostsDir);
    this.thread = new Thread(this::loop, "host-simulator");
    thread.setDaemon(true);
    thread.start();
  }

  /** The instances of an EC2 stand-in; agents keep their data in {@code hostsDir}. */
  public static HostSimulator ec2(Ec2StandIn ec2, Path hostsDir) {
    return ec2(ec2, hostsDir, false);
  }

  /**
   * @param atLaunch start the agent as soon as the instance exists (pending), as if the image had
   *     it installed: the master then finds it answering once the instance runs (benchmarks)
   */
  public static HostSimulator ec2(Ec2StandIn ec2, Path hostsDir, boolean atLaunch) {
    return new HostSimulator(() -> {
      List<Host> out = new ArrayList<>();
      for (Ec2StandIn.Inst i : ec2.instances()) {
        String state;
        Map<String, String> tags;
        Map<String, String> params;
        synchronized (ec2) {
          state = i.state;
          tags = Map.copyOf(i.tags);
          params = Map.copyOf(i.params);
        }
        if (tags.get("qair:agent-port") == null || params.get("UserData") == null) {
          continue; // not one of the master's hosts
        }
        boolean up = state.equals("running") || atLaunch && state.equals("pending");
        out.add(new Host(i.id, tags.get("qair:zone"), Integer.parseInt(tags.get("qair:agent-port")), up,
            new String(Base64.getDecoder().decode(params.get("UserData")), StandardCharsets.UTF_8)));
      }
      return out;
    }, hostsDir);
  }

  /** The instances of a Compute Engine stand-in (its agent port from metadata {@code qair-agent-port}). */
  public static HostSimulator gce(GceStandIn gce, Path hostsDir) {
    return new HostSimulator(() -> {
      List<Host> out = new ArrayList<>();
      for (JsonNode i : gce.instanceSnapshots()) {
        Map<String, String> metadata = new HashMap<>();
        i.path("metadata").path("items").forEach(it -> metadata.put(it.path("key").asText(), it.path("value").asText()));
        if (metadata.get("qair-agent-port") == null || metadata.get("user-data") == null) {
          continue;
        }
        out.add(new Host(i.path("id").asText(), i.path("labels").path("qair-zone").asText(),
            Integer.parseInt(metadata.get("qair-agent-port")), i.path("status").asText().equals("RUNNING"),
            metadata.get("user-data")));
      }
      return out;
    }, hostsDir);
  }

  /** When each zone's agent last began to listen (epoch ms), by zone. */
  public Map<String, Long> agentUpTimes() {
    return Map.copyOf(upAt);
  }

  /** How many instances have a running agent. */
  public int agents() {
    return booted.size();
  }

  private void loop() {
    while (!closed) {
      try {
        step();
        Thread.sleep(25);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        System.err.println("host simulator: " + e);
      }
    }
  }

  private void step() {
    List<Host> all = hosts.get();
    for (Host h : all) {
      if (!h.up()) {
        AgentMain.Running r = booted.remove(h.id());
        if (r != null) {
          r.stop();
        }
      }
    }
    for (Host h : all) {
      if (h.up() && !booted.containsKey(h.id()) && booting.add(h.id())) {
        boots.execute(() -> {
          try {
            boot(h);
          } finally {
            booting.remove(h.id());
          }
        });
      }
    }
  }

  private void boot(Host h) {
    Map<String, String> files = files(h.cloudConfig());
    try {
      booted.put(h.id(), agents.start(h.id(), h.zone(), files.get(HostSetup.TOKEN_FILE).strip(),
          files.get(HostSetup.CA_FILE), h.port()));
      upAt.put(h.zone(), System.currentTimeMillis());
    } catch (Exception e) {
      // the port is still held by the agent of a terminated instance: next round
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> files(String cloudConfig) {
    try {
      Map<String, Object> doc = YAML.readValue(cloudConfig, Map.class);
      Map<String, String> out = new HashMap<>();
      for (Map<String, Object> f : (List<Map<String, Object>>) doc.get("write_files")) {
        out.put((String) f.get("path"), new String(Base64.getDecoder().decode((String) f.get("content")),
            StandardCharsets.UTF_8));
      }
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(5_000);
    boots.shutdown();
    boots.awaitTermination(30, TimeUnit.SECONDS);
    booted.values().forEach(AgentMain.Running::stop);
    booted.clear();
    agents.close();
  }
}
