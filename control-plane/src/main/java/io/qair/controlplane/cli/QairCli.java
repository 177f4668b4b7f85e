package io.qair.controlplane.cli;

import io.qair.protocol.QairException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code qair}: the command line of the master admin. Exit codes: 0 ok, 2 bad usage, and for a
 * failure the {@link io.qair.protocol.ErrorKind#exitCode()} of its kind (3 bad request, 4 not
 * found, 5 conflict, 6 no or bad token, 7 master or zone unavailable, 1 internal). Errors are one
 * line on stderr: {@code qair: MESSAGE}.
 */
@Command(name = "qair", mixinStandardHelpOptions = true, version = "qair 0.1.0",
    description = "Manage zones and qubes through the master admin.",
    subcommands = {ZoneCommands.class, QubeCommands.class, RunCommand.class, TemplateCommands.class,
        LabelCommands.class, PolicyCommands.class, EventsCommand.class, StatusCommand.class, BenchCommand.class})
public final class QairCli implements java.util.concurrent.Callable<Integer> {
  private final CliEnv env;

  public QairCli(CliEnv env) {
    this.env = env;
  }

  CliEnv env() {
    return env;
  }

  @Override
  public Integer call() {
    env.err().println("qair: a command is required (see `qair --help`)");
    return 2;
  }

  /** The command line, with the one place that turns failures into exit codes and one-line errors. */
  public static CommandLine commandLine(CliEnv env) {
    CommandLine cmd = new CommandLine(new QairCli(env));
    cmd.setOut(env.out());
    cmd.setErr(env.err());
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof QairException q) {
        env.err().println("qair: " + q.getMessage());
        return q.kind().exitCode();
      }
      env.err().println("qair: internal error: " + ex);
      return 1;
    });
    cmd.setParameterExceptionHandler((ex, args) -> {
      env.err().println("qair: " + ex.getMessage() + " (see `" + ex.getCommandLine().getCommandSpec().qualifiedName()
          + " --help`)");
      return 2;
    });
    return cmd;
  }

  public static void main(String[] args) {
    System.exit(commandLine(CliEnv.fromSystem()).execute(args));
  }
}
