package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code qair status}: is the master up, and how are its zones and qubes. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show whether the master is reachable, its zones, and how many qubes run.")
final class StatusCommand extends CliCommand {
  @Override
  public Integer call() {
    JsonNode zones = api().get("/api/v1/zones");
    JsonNode qubes = api().get("/api/v1/qubes");
    int running = 0;
    for (JsonNode q : qubes) {
      if ("RUNNING".equals(q.path("state").asText())) {
        running++;
      }
    }
    env().out().println("master: " + env().endpoint() + " (reachable)");
    env().out().println("qubes: " + qubes.size() + " (" + running + " running)");
    env().out().println("zones: " + zones.size());
    for (JsonNode z : zones) {
      String reason = z.path("reason").asText("");
      env().out().println("  " + z.path("name").asText() + "  " + z.path("state").asText() + "  "
          + z.path("provider").asText() + (reason.isEmpty() ? "" : "  (" + reason + ")"));
    }
    return 0;
  }
}
