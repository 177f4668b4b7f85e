package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qair events}: follows the master's event stream. */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = "Follow the master's events (Ctrl-C to stop). One line per event: ID TYPE SUBJECT key=value...")
final class EventsCommand extends CliCommand {
  @Option(names = "--since", paramLabel = "ID", description = "first replay the logged events after event ID (0: all kept)")
  Long since;

  @Option(names = "--max", paramLabel = "N", description = "stop after N events")
  Integer max;

  @Mixin
  OutputOption output;

  @Override
  public Integer call() {
    Map<String, String> headers = new HashMap<>();
    if (since != null) {
      headers.put("Last-Event-ID", Long.toString(since));
    }
    int[] seen = {0};
    api().stream("/api/v1/events", headers, e -> {
      print(e[2]);
      seen[0]++;
      return max == null || seen[0] < max;
    });
    return 0;
  }

  private void print(String data) {
    if (output.format == Format.json) {
      env().out().println(data);
      return;
    }
    try {
      JsonNode n = api().json().readTree(data);
      StringBuilder sb = new StringBuilder();
      sb.append(n.path("id").asLong()).append(' ').append(n.path("type").asText()).append(' ')
          .append(n.path("subject").asText());
      n.path("data").fields().forEachRemaining(f -> sb.append(' ').append(f.getKey()).append('=')
          .append(f.getValue().asText()));
      env().out().println(sb);
    } catch (IOException e) {
      env().out().println(data);
    }
  }
}
