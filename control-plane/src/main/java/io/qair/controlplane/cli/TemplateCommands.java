package io.qair.controlplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code qair template ls}. */
@Command(name = "template", mixinStandardHelpOptions = true, description = "List templates.",
    subcommands = {TemplateCommands.Ls.class})
final class TemplateCommands {
  private TemplateCommands() {}

  @Command(name = "ls", mixinStandardHelpOptions = true,
      description = "List the TemplateVMs (templates the zones hold are registered on the way).")
  static final class Ls extends CliCommand {
    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
      QubeCommands.printQubes(this, api().get("/api/v1/templates"), output.format);
      return 0;
    }
  }
}
