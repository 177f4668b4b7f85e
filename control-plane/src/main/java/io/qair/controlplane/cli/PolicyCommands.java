package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.protocol.QairException;
import io.qair.protocol.api.AskAnswer;
import io.qair.protocol.api.PolicyEvalRequest;
import io.qair.protocol.api.PolicyText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qair policy ...}: the qrexec policy files, trying a call, and the pending {@code ask} questions. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "The qrexec policy (docs/policy.md).",
    subcommands = {PolicyCommands.Ls.class, PolicyCommands.Show.class, PolicyCommands.Check.class,
        PolicyCommands.Replace.class, PolicyCommands.Rm.class, PolicyCommands.Eval.class, PolicyCommands.Asks.class})
final class PolicyCommands {
  /** Largest policy file read from stdin (the Admin API takes 64 KiB bodies). */
  static final int MAX_TEXT = 60 * 1024;

  private PolicyCommands() {}

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the policy files, in evaluation order.")
  static final class Ls extends CliCommand {
    @Override
    public Integer call() {
      api().get("/api/v1/policies").forEach(n -> env().out().println(n.asText()));
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a policy file.")
  static final class Show extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      env().out().print(api().get("/api/v1/policies/" + seg(name)).path("text").asText());
      env().out().flush();
      return 0;
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Report every error of the policy directory (exit 3 if there is one).")
  static final class Check extends CliCommand {
    @Override
    public Integer call() {
      JsonNode r = api().post("/api/v1/policies/check", null);
      if (r.path("valid").asBoolean()) {
        env().out().println("policy OK");
        return 0;
      }
      r.path("errors").forEach(e -> env().err().println(e.asText()));
      return 3;
    }
  }

  @Command(name = "replace", mixinStandardHelpOptions = true,
      description = "Create or replace policy file NAME with stdin; a policy with an error changes nothing.")
  static final class Replace extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws IOException {
      byte[] text = env().stdin().readNBytes(MAX_TEXT + 1);
      if (text.length > MAX_TEXT) {
        throw QairException.badRequest("the policy file is larger than " + MAX_TEXT + " bytes: split it in"
            + " several files");
      }
      api().put("/api/v1/policies/" + seg(name), new PolicyText(new String(text, StandardCharsets.UTF_8)));
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove policy file NAME.")
  static final class Rm extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      api().delete("/api/v1/policies/" + seg(name));
      return 0;
    }
  }

  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = "How the policy decides SERVICE[+ARG] from SOURCE to TARGET, and which rule decides.")
  static final class Eval extends CliCommand {
    @Parameters(index = "0", paramLabel = "SERVICE[+ARG]")
    String call;

    @Parameters(index = "1", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "2", paramLabel = "TARGET", description = "a qube, dom0, @dispvm, @dispvm:NAME or @default")
    String target;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
      int plus = call.indexOf('+');
      String service = plus < 0 ? call : call.substring(0, plus);
      String argument = plus < 0 ? null : call.substring(plus + 1);
      JsonNode d = api().post("/api/v1/policy/eval", new PolicyEvalRequest(service, argument, source, target));
      if (output.format == Format.json) {
        printJson(d);
      } else {
        env().out().println(d.path("summary").asText());
      }
      return 0;
    }
  }

  @Command(name = "ask", mixinStandardHelpOptions = true, description = "The ask decisions waiting for an answer.",
      subcommands = {AskLs.class, AskAllow.class, AskDeny.class})
  static final class Asks {}

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the pending questions.")
  static final class AskLs extends CliCommand {
    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
      JsonNode asks = api().get("/api/v1/policy/asks");
      if (output.format == Format.json) {
        printJson(asks);
        return 0;
      }
      Table t = new Table("ID", "SERVICE", "SOURCE", "TARGET", "TARGETS", "DEFAULT", "EXPIRES");
      for (JsonNode a : asks) {
        String call = a.path("service").asText() + (a.path("argument").asText("").isEmpty() ? ""
            : "+" + a.path("argument").asText());
        t.row(a.path("id").asText(), call, a.path("source").asText(), a.path("target").asText(""),
            String.join(",", texts(a.path("targets"))),
            a.path("defaultTarget").asText("-"), Instant.ofEpochMilli(a.path("expiresAt").asLong()).toString());
      }
      t.print(env().out());
      return 0;
    }

    private static java.util.List<String> texts(JsonNode array) {
      java.util.List<String> out = new java.util.ArrayList<>();
      array.forEach(n -> out.add(n.asText()));
      return out;
    }
  }

  @Command(name = "allow", mixinStandardHelpOptions = true, description = "Allow a pending call.")
  static final class AskAllow extends CliCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--target", paramLabel = "QUBE", description = "one of the offered targets (default: the suggested one)")
    String target;

    @Override
    public Integer call() {
      JsonNode d = api().post("/api/v1/policy/asks/" + seg(id), new AskAnswer(true, target));
      env().out().println(d.path("summary").asText());
      return 0;
    }
  }

  @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a pending call.")
  static final class AskDeny extends CliCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      JsonNode d = api().post("/api/v1/policy/asks/" + seg(id), new AskAnswer(false, null));
      env().out().println(d.path("summary").asText());
      return 0;
    }
  }
}
