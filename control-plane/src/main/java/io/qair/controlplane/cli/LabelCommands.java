package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code qair label ls}. */
@Command(name = "label", mixinStandardHelpOptions = true, description = "The label palette.",
    subcommands = {LabelCommands.Ls.class})
final class LabelCommands {
  private LabelCommands() {}

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the labels and their colours.")
  static final class Ls extends CliCommand {
    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
      JsonNode labels = api().get("/api/v1/labels");
      if (output.format == Format.json) {
        printJson(labels);
        return 0;
      }
      Table t = new Table("NAME", "COLOR");
      labels.forEach(l -> t.row(l.path("name").asText(), l.path("color").asText()));
      t.print(env().out());
      return 0;
    }
  }
}
