package io.qair.controlplane.zone;

import io.qair.agent.AgentConfig;
import io.qair.agent.AgentMain;
import io.qair.agent.server.FakeIsolationBackend;

/** The real zone agent process, with the in-memory isolation backend: what {@link LocalZoneIT} runs. */
public final class FakeBackendAgentMain {
  private FakeBackendAgentMain() {}

  public static void main(String[] args) {
    AgentMain.Running r = AgentMain.start(AgentConfig.parse(args), new FakeIsolationBackend());
    Runtime.getRuntime().addShutdownHook(new Thread(r::stop));
  }
}
