package io.qair.controlplane.zone;

import io.qair.agent.AgentMain;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.HostState;
import io.qair.cloud.spi.ZoneHost;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A cloud adapter whose "hosts" are real agents in this JVM; it can be told to fail. */
final class InProcessAdapter implements CloudAdapter {
  final TestAgents agents;
  final Map<String, AgentMain.Running> running = new ConcurrentHashMap<>();
  final Map<String, String> masters = new ConcurrentHashMap<>();
  final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
  volatile boolean failProvision;
  volatile String replaceToken;

  InProcessAdapter(TestAgents agents) {
    this.agents = agents;
  }

  @Override
  public String name() {
    return "inproc";
  }

  @Override
  public void init(AdapterContext context) {}

  @Override
  public ZoneHost provision(ZoneRequest request, Bootstrap bootstrap) {
    calls.add("provision " + request.name());
    if (failProvision) {
      throw QairException.unavailable("no capacity in region", null);
    }
    try {
      String token = replaceToken != null ? replaceToken : bootstrap.token();
      AgentMain.Running r = agents.start(request.name(), request.name(), token, bootstrap.caCertPem(), 0);
      running.put(request.name(), r);
      masters.put(request.name(), bootstrap.masterId());
      return host(request.name());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ZoneHost host(String zone) {
    AgentMain.Running r = running.get(zone);
    return r == null ? new ZoneHost(zone, null, "inproc:" + zone, HostState.STOPPED)
        : new ZoneHost(zone, TestAgents.address(r), "inproc:" + zone, HostState.RUNNING);
  }

  @Override
  public Optional<ZoneHost> describe(String zone) {
    return masters.containsKey(zone) ? Optional.of(host(zone)) : Optional.empty();
  }

  @Override
  public ZoneHost start(String zone) {
    calls.add("start " + zone);
    if (!running.containsKey(zone)) {
      try {
        running.put(zone, agents.start(zone, zone, null, null, 0));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return host(zone);
  }

  @Override
  public void stop(String zone) {
    calls.add("stop " + zone);
    AgentMain.Running r = running.remove(zone);
    if (r != null) {
      r.stop();
    }
  }

  @Override
  public void deprovision(String zone) {
    calls.add("deprovision " + zone);
    stop(zone);
    masters.remove(zone);
  }

  @Override
  public List<ZoneHost> discover(String masterId) {
    return masters.entrySet().stream().filter(e -> e.getValue().equals(masterId)).map(e -> host(e.getKey())).toList();
  }
}
