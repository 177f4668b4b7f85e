package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.protocol.api.ZoneCreate;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qair zone ls|create|rm}. */
@Command(name = "zone", mixinStandardHelpOptions = true, description = "Manage zones.",
    subcommands = {ZoneCommands.Ls.class, ZoneCommands.Create.class, ZoneCommands.Rm.class})
final class ZoneCommands {
  private ZoneCommands() {}

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List zones.")
  static final class Ls extends CliCommand {
    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
      JsonNode zones = api().get("/api/v1/zones");
      if (output.format == Format.json) {
        printJson(zones);
        return 0;
      }
      Table t = new Table("NAME", "PROVIDER", "REGION", "STATE", "ADDRESS", "QUBES", "REASON");
      for (JsonNode z : zones) {
        t.row(z.path("name").asText(), z.path("provider").asText(), z.path("region").asText(""),
            z.path("state").asText(), z.path("address").asText(""), z.path("qubes").asInt(), z.path("reason").asText(""));
      }
      t.print(env().out());
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a zone; it is provisioned in the background (follow it with `qair zone ls`).")
  static final class Create extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "lower-case letters, digits and '-'")
    String name;

    @Option(names = "--provider", required = true, paramLabel = "P", description = "local, aws or gcp")
    String provider;

    @Option(names = "--region", paramLabel = "R", description = "the cloud region")
    String region;

    @Option(names = "--opt", paramLabel = "K=V", description = "a provider option (repeatable)")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() {
      JsonNode z = api().post("/api/v1/zones", new ZoneCreate(name, provider, region, options));
      env().out().println(z.path("name").asText() + " " + z.path("state").asText());
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a zone and revoke its certificate.")
  static final class Rm extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--force", description = "also remove the zone's qubes")
    boolean force;

    @Override
    public Integer call() {
      api().delete("/api/v1/zones/" + seg(name) + (force ? "?force=true" : ""));
      return 0;
    }
  }
}
