package io.qair.controlplane.zone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.qair.agent.AgentMain;
import io.qair.cloud.aws.Ec2StandIn;
import io.qair.cloud.bootstrap.HostSetup;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the zone hosts of an {@link Ec2StandIn}: every instance that runs gets a real zone agent
 * on loopback (at the port of its {@code qair:agent-port} tag), started from what its cloud-init
 * user-data delivers (token and master CA), as the host's first boot would; an instance that stops
 * running loses its agent. Agents outlive the master, as hosts do. The stand-in must give
 * instances the public address {@code 127.0.0.1}.
 */
public final class Ec2HostSimulator implements AutoCloseable {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Ec2StandIn ec2;
  private final TestAgents agents;
  private final Map<String, AgentMain.Running> booted = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  /** Agents keep their data in {@code hostsDir}. */
  public Ec2HostSimulator(Ec2StandIn ec2, java.nio.file.Path hostsDir) {
    this.ec2 = ec2;
    this.agents = new TestAgents(hostsDir);
    this.thread = new Thread(this::loop, "ec2-host-simulator");
    thread.setDaemon(true);
    thread.start();
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
    List<Ec2StandIn.Inst> all = ec2.instances();
    for (Ec2StandIn.Inst i : all) {
      if (!i.state.equals("running")) {
        AgentMain.Running r = booted.remove(i.id);
        if (r != null) {
          r.stop();
        }
      }
    }
    for (Ec2StandIn.Inst i : all) {
      if (i.state.equals("running") && !booted.containsKey(i.id)) {
        boot(i);
      }
    }
  }

  private void boot(Ec2StandIn.Inst i) {
    String zone = i.tags.get("qair:zone");
    int port = Integer.parseInt(i.tags.get("qair:agent-port"));
    Map<String, String> files = files(new String(Base64.getDecoder().decode(i.params.get("UserData")),
        StandardCharsets.UTF_8));
    try {
      booted.put(i.id, agents.start(i.id, zone, files.get(HostSetup.TOKEN_FILE).strip(),
          files.get(HostSetup.CA_FILE), port));
    } catch (Exception e) {
      // the port is still held by the agent of a terminated instance: next round
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> files(String cloudConfig) {
    try {
      Map<String, Object> doc = YAML.readValue(cloudConfig, Map.class);
      Map<String, String> out = new java.util.HashMap<>();
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
    booted.values().forEach(AgentMain.Running::stop);
    booted.clear();
    agents.close();
  }
}
