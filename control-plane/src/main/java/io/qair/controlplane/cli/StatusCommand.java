package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qair status}: is the master up, and how are its zones and qubes. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show whether the master is reachable, its zones, and how many qubes run.")
final class StatusCommand extends CliCommand {
  private static final Set<String> SETTLED = Set.of("READY", "FAILED", "UNREACHABLE");

  @Option(names = "--wait", paramLabel = "SECONDS", description = "wait up to SECONDS for the master to answer and"
      + " every zone to settle (READY, FAILED or UNREACHABLE); exit 7 if it does not")
  Integer waitSeconds;

  @Override
  public Integer call() throws InterruptedException {
    JsonNode zones = waitSeconds == null ? api().get("/api/v1/zones") : awaitSettled(waitSeconds * 1000L);
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

  private JsonNode awaitSettled(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (true) {
      try {
        JsonNode zones = api().get("/api/v1/zones");
        boolean settled = true;
        for (JsonNode z : zones) {
          settled &= SETTLED.contains(z.path("state").asText());
        }
        if (settled && zones.size() > 0) {
          return zones;
        }
      } catch (QairException e) {
        if (e.kind() != ErrorKind.UNAVAILABLE || System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw QairException.unavailable("zones did not settle within " + millis / 1000 + " s: see `qair zone ls`", null);
      }
      Thread.sleep(200);
    }
  }
}
