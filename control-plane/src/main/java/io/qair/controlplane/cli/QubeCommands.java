package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.protocol.api.PropertyValue;
import io.qair.protocol.api.QubeCreate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code qair qube ...}. */
@Command(name = "qube", mixinStandardHelpOptions = true, description = "Manage qubes.",
    subcommands = {QubeCommands.Ls.class, QubeCommands.Create.class, QubeCommands.Rm.class, QubeCommands.Start.class,
        QubeCommands.Shutdown.class, QubeCommands.Prefs.class, QubeCommands.Tags.class, QubeCommands.Features.class})
final class QubeCommands {
  private QubeCommands() {}

  static void printQubes(CliCommand c, JsonNode qubes, CliCommand.Format format) {
    if (format == CliCommand.Format.json) {
      c.printJson(qubes);
      return;
    }
    Table t = new Table("NAME", "CLASS", "STATE", "ZONE", "LABEL", "TEMPLATE", "NETVM");
    for (JsonNode q : qubes) {
      t.row(q.path("name").asText(), q.path("klass").asText(), q.path("state").asText(), q.path("zone").asText(),
          q.path("label").asText(), q.path("template").asText(""), q.path("netvm").asText(""));
    }
    t.print(c.env().out());
  }

  static void printMap(CliCommand c, JsonNode map) {
    Iterator<Map.Entry<String, JsonNode>> it = map.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      c.env().out().println(e.getKey() + "=" + e.getValue().asText());
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List qubes.")
  static final class Ls extends CliCommand {
    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
      printQubes(this, api().get("/api/v1/qubes"), output.format);
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a qube (halted).")
  static final class Create extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--label", required = true, paramLabel = "L",
        description = "red, orange, yellow, green, gray, blue, purple or black")
    String label;

    @Option(names = "--class", paramLabel = "C", description = "AppVM (default), TemplateVM, DispVM, StandaloneVM")
    String klass;

    @Option(names = "--template", paramLabel = "T", description = "default: the master's default template")
    String template;

    @Option(names = "--zone", paramLabel = "Z", description = "default: the master's default zone")
    String zone;

    @Option(names = "--mem", paramLabel = "MIB", description = "memory in MiB, 64..65536 (default 400)")
    Integer memory;

    @Option(names = "--vcpus", paramLabel = "N", description = "1..64 (default 2)")
    Integer vcpus;

    @Option(names = "--netvm", paramLabel = "Q", description = "the net qube (default: no network)")
    String netvm;

    @Override
    public Integer call() {
      JsonNode q = api().post("/api/v1/qubes", new QubeCreate(name, klass, label, template, zone, memory, vcpus, netvm));
      env().out().println(q.path("name").asText() + " " + q.path("state").asText());
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a halted qube and its volumes.")
  static final class Rm extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      api().delete("/api/v1/qubes/" + seg(name));
      return 0;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a qube.")
  static final class Start extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      JsonNode q = api().post("/api/v1/qubes/" + seg(name) + "/start", null);
      env().out().println(q.path("name").asText() + " " + q.path("state").asText());
      return 0;
    }
  }

  @Command(name = "shutdown", mixinStandardHelpOptions = true, description = "Shut a qube down.")
  static final class Shutdown extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--force", description = "kill it instead of asking it to stop")
    boolean force;

    @Override
    public Integer call() {
      JsonNode q = api().post("/api/v1/qubes/" + seg(name) + "/shutdown" + (force ? "?force=true" : ""), null);
      env().out().println(q.path("name").asText() + " " + q.path("state").asText());
      return 0;
    }
  }

  @Command(name = "prefs", mixinStandardHelpOptions = true,
      description = "List a qube's properties, show one, set one, or reset one to its default.")
  static final class Prefs extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROP")
    String prop;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE")
    String value;

    @Option(names = "--reset", description = "reset PROP to its default")
    boolean reset;

    @Override
    public Integer call() {
      String base = "/api/v1/qubes/" + seg(name) + "/properties";
      if (prop == null) {
        if (reset) {
          throw new ParameterException(spec.commandLine(), "--reset needs a PROP");
        }
        printMap(this, api().get(base));
      } else if (reset) {
        if (value != null) {
          throw new ParameterException(spec.commandLine(), "--reset takes no VALUE");
        }
        env().out().println(api().delete(base + "/" + seg(prop)).path("value").asText());
      } else if (value == null) {
        env().out().println(api().get(base + "/" + seg(prop)).path("value").asText());
      } else {
        api().put(base + "/" + seg(prop), new PropertyValue(value));
      }
      return 0;
    }
  }

  @Command(name = "tags", mixinStandardHelpOptions = true, description = "List, add or remove a qube's tags.")
  static final class Tags extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "add|rm")
    String action;

    @Parameters(index = "2..*", paramLabel = "TAG")
    List<String> tags = new ArrayList<>();

    @Override
    public Integer call() {
      String base = "/api/v1/qubes/" + seg(name) + "/tags";
      if (action == null) {
        api().get(base).forEach(t -> env().out().println(t.asText()));
        return 0;
      }
      if (!action.equals("add") && !action.equals("rm")) {
        throw new ParameterException(spec.commandLine(), "unknown action '" + action + "': use add or rm");
      }
      if (tags.isEmpty()) {
        throw new ParameterException(spec.commandLine(), action + " needs at least one TAG");
      }
      for (String t : tags) {
        if (action.equals("add")) {
          api().put(base + "/" + seg(t), null);
        } else {
          api().delete(base + "/" + seg(t));
        }
      }
      return 0;
    }
  }

  @Command(name = "features", mixinStandardHelpOptions = true,
      description = "List a qube's features, or get, set or remove one.")
  static final class Features extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "get|set|rm")
    String action;

    @Parameters(index = "2", arity = "0..1", paramLabel = "F")
    String feature;

    @Parameters(index = "3", arity = "0..1", paramLabel = "V")
    String value;

    @Override
    public Integer call() {
      String base = "/api/v1/qubes/" + seg(name) + "/features";
      if (action == null) {
        printMap(this, api().get(base));
        return 0;
      }
      if (feature == null) {
        throw new ParameterException(spec.commandLine(), action + " needs a feature name F");
      }
      switch (action) {
        case "get" -> env().out().println(api().get(base + "/" + seg(feature)).path("value").asText());
        case "set" -> {
          if (value == null) {
            throw new ParameterException(spec.commandLine(), "set needs a value V");
          }
          api().put(base + "/" + seg(feature), new PropertyValue(value));
        }
        case "rm" -> api().delete(base + "/" + seg(feature));
        default -> throw new ParameterException(spec.commandLine(), "unknown action '" + action + "': use get, set or rm");
      }
      return 0;
    }
  }
}
