package io.qair.controlplane.cli;

import io.qair.protocol.agent.ExecRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code qair run QUBE -- CMD...} and {@code qair run --dispvm[=TEMPLATE] -- CMD...}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a command in a qube (started first if halted), or in a new disposable that is destroyed"
        + " afterwards. Standard input is passed when it is not a terminal; output is streamed; the exit code is"
        + " the command's.", "Examples: qair run work -- ls -l /home/user;  echo hi | qair run --dispvm -- cat;"
        + "  qair run debian-12 --user root -- apt-get install -y cowsay"})
final class RunCommand extends CliCommand {
  @Option(names = "--dispvm", arity = "0..1", fallbackValue = "", paramLabel = "TEMPLATE",
      description = "run in a new disposable on TEMPLATE (default: the master's default template)")
  String dispvm;

  @Option(names = "--no-gui", description = "with --dispvm: a disposable without a display (starts lighter; for"
      + " commands that open no window)")
  boolean noGui;

  @Option(names = {"-u", "--user"}, paramLabel = "USER", defaultValue = "user",
      description = "who runs the command: user (default) or root; root only in a TemplateVM, to install software"
          + " that its AppVMs get at their next start")
  String user;

  @Parameters(paramLabel = "QUBE -- CMD", description = "the qube (unless --dispvm), then -- and the command")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    String target;
    List<String> argv;
    if (dispvm != null) {
      target = dispvm.isEmpty() ? "@dispvm" : "@dispvm:" + dispvm;
      argv = args;
    } else {
      if (args.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "a QUBE is required (or --dispvm)");
      }
      target = args.get(0);
      argv = args.subList(1, args.size());
    }
    if (argv.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "a command is required after --");
    }
    if (!user.equals(ExecRequest.USER) && !user.equals(ExecRequest.ROOT)) {
      throw new ParameterException(spec.commandLine(), "--user is 'user' or 'root'");
    }
    if (noGui && dispvm == null) {
      throw new ParameterException(spec.commandLine(), "--no-gui goes with --dispvm (a qube's display follows its gui feature)");
    }
    if (dispvm == null) {
      api().get("/api/v1/qubes/" + seg(target)); // a missing qube or token is reported plainly
    }
    ExecClient exec = new ExecClient(api(), env());
    Thread onCtrlC = new Thread(exec::abort, "qair-abort");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      return exec.run(seg(target), argv, user.equals(ExecRequest.ROOT) ? ExecRequest.ROOT : null, !noGui);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running
      }
    }
  }
}
