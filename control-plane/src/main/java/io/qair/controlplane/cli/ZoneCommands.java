package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.protocol.api.ZoneCreate;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code qair zone ls|create|rm|events|host-setup|adopt}. */
@Command(name = "zone", mixinStandardHelpOptions = true, description = "Manage zones.",
    subcommands = {ZoneCommands.Ls.class, ZoneCommands.Create.class, ZoneCommands.Rm.class, ZoneCommands.Events.class,
        ZoneCommands.HostSetup.class, ZoneCommands.Adopt.class})
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
      Table t = new Table("NAME", "PROVIDER", "REGION", "STATE", "ADDRESS", "QUBES");
      for (JsonNode z : zones) {
        t.row(z.path("name").asText(), z.path("provider").asText(), z.path("region").asText(""),
            z.path("state").asText(), z.path("address").asText(""), z.path("qubes").asInt());
      }
      t.print(env().out());
      for (JsonNode z : zones) {
        if (!z.path("reason").asText("").isEmpty()) {
          env().out().println(z.path("name").asText() + ": " + z.path("reason").asText());
        }
      }
      env().out().flush();
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a zone and show its progress until it is ready or has failed.",
          "aws: qair zone create eu1 --provider aws --region eu-central-1 --instance-type m6i.large"
              + " [--subnet subnet-...] --allow-from 203.0.113.7/32",
          "gcp: qair zone create us1 --provider gcp --project P --zone us-central1-a --machine-type e2-standard-4"
              + " --allow-from 203.0.113.7/32"})
  static final class Create extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "lower-case letters, digits and '-'")
    String name;

    @Option(names = "--provider", required = true, paramLabel = "P", description = "local, aws or gcp")
    String provider;

    @Option(names = "--region", paramLabel = "R", description = "aws: the region, e.g. eu-central-1")
    String region;

    @Option(names = "--zone", paramLabel = "Z", description = "gcp: the Compute Engine zone, e.g. us-central1-a")
    String gceZone;

    @Option(names = "--project", paramLabel = "P", description = "gcp: the project id")
    String project;

    @Option(names = "--instance-type", paramLabel = "T", description = "aws: the EC2 instance type (default t3.large)")
    String instanceType;

    @Option(names = "--machine-type", paramLabel = "T", description = "gcp: the machine type (default e2-standard-4)")
    String machineType;

    @Option(names = "--subnet", paramLabel = "S", description = "the subnet (aws: subnet id; gcp: subnetwork name)")
    String subnet;

    @Option(names = "--allow-from", paramLabel = "CIDR",
        description = "the IPv4 range the master connects from; the agent port is opened to it only")
    String allowFrom;

    @Option(names = "--opt", paramLabel = "K=V", description = "any other provider option (repeatable; see docs/cloud-zones.md)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--detach", description = "do not wait: print the new zone's state and return")
    boolean detach;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "1800",
        description = "stop waiting after S seconds (the zone goes on being made; default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** The request these options make; usage errors for options of another provider. */
    ZoneCreate request() {
      Map<String, String> o = new LinkedHashMap<>(options);
      only("aws", "--instance-type", instanceType);
      only("gcp", "--machine-type", machineType);
      only("gcp", "--project", project);
      only("gcp", "--zone", gceZone);
      if (gceZone != null && region != null) {
        throw usage("give the Compute Engine zone with --zone only (it is the zone's region)");
      }
      put(o, "instance-type", instanceType);
      put(o, "machine-type", machineType);
      put(o, "project", project);
      put(o, "subnet", subnet);
      put(o, "allow-from", allowFrom);
      return new ZoneCreate(name, provider, gceZone != null ? gceZone : region, o);
    }

    private void only(String forProvider, String option, String value) {
      if (value != null && !forProvider.equals(provider)) {
        throw usage(option + " is an option of --provider " + forProvider
            + (option.equals("--zone") ? "; for aws give --region" : option.equals("--instance-type")
                ? "; for gcp give --machine-type" : option.equals("--machine-type") ? "; for aws give --instance-type" : ""));
      }
    }

    private static void put(Map<String, String> o, String key, String value) {
      if (value != null) {
        o.put(key, value);
      }
    }

    private ParameterException usage(String message) {
      return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws InterruptedException {
      ZoneCreate request = request();
      AdminClient api = api();
      if (detach) {
        JsonNode z = api.post("/api/v1/zones", request);
        env().out().println(z.path("name").asText() + " " + z.path("state").asText());
        return 0;
      }
      try (ZoneProgress progress = new ZoneProgress(env().out(), env().stdinIsTty(), name)) {
        ZoneFollower follower = new ZoneFollower(api, name, progress);
        follower.start();
        follower.awaitOpen();
        JsonNode z = api.post("/api/v1/zones", request);
        String answered = z.path("state").asText();
        boolean done = answered.equals("READY") || answered.equals("FAILED");
        if (!done) {
          progress.step(ZoneProgress.label(answered, null));
        }
        String[] last = done ? new String[] {answered, null} : follower.awaitEnd(timeoutSeconds);
        if (last == null) {
          progress.end("still being made", "after " + timeoutSeconds + " s: follow it with `qair zone events " + name + "`");
          return 0;
        }
        JsonNode now = api.get("/api/v1/zones/" + seg(name));
        String state = now.path("state").asText();
        if (!state.equals("READY") && !state.equals("FAILED") && !state.equals("UNREACHABLE")) {
          progress.end(ZoneProgress.label(state, null), "(the event stream ended): follow it with `qair zone events "
              + name + "`");
          return 0;
        }
        if (state.equals("READY")) {
          progress.end("ready", "at " + now.path("address").asText());
          return 0;
        }
        String reason = now.path("reason").asText(last[1] == null ? "no reason given" : last[1]);
        progress.end(ZoneProgress.label(now.path("state").asText(), null), null);
        env().err().println("qair: zone " + name + " " + now.path("state").asText().toLowerCase(java.util.Locale.ROOT)
            + ": " + reason);
        env().err().flush();
        return 1;
      }
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true,
      description = "Remove a zone: terminate everything made for it and revoke its certificate.")
  static final class Rm extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--force", description = "also when qubes live there: they are removed with it")
    boolean force;

    @Override
    public Integer call() {
      api().delete("/api/v1/zones/" + seg(name) + (force ? "?force=true" : ""));
      env().out().println(name + " removed");
      return 0;
    }
  }

  @Command(name = "events", mixinStandardHelpOptions = true,
      description = "Show a zone's logged events, then follow new ones until it is ready or failed (or removed).")
  static final class Events extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-f", "--follow"}, description = "keep following after the zone is ready or failed (Ctrl-C to stop)")
    boolean follow;

    @Override
    public Integer call() {
      api().get("/api/v1/zones/" + seg(name)); // NOT_FOUND for an unknown zone
      api().stream("/api/v1/events", Map.of("Last-Event-ID", "0"), e -> {
        JsonNode n = read(e[2]);
        if (n == null || !name.equals(n.path("subject").asText()) || !n.path("type").asText().startsWith("zone-")) {
          return true;
        }
        StringBuilder sb = new StringBuilder(java.time.Instant.ofEpochMilli(n.path("timestamp").asLong()).toString())
            .append(' ').append(n.path("type").asText());
        n.path("data").fields().forEachRemaining(f -> sb.append(' ').append(f.getKey()).append('=')
            .append(f.getValue().asText()));
        env().out().println(sb);
        env().out().flush();
        return follow || !ZoneFollower.isEnd(n);
      });
      return 0;
    }

    private JsonNode read(String data) {
      try {
        return api().json().readTree(data);
      } catch (IOException e) {
        return null;
      }
    }
  }

  @Command(name = "host-setup", mixinStandardHelpOptions = true,
      description = {"The first boot of an external zone's host (made by terraform/modules/*-zone): writes"
          + " DIR/user-data (cloud-init) and DIR/startup-script, 0600. They hold a single-use enrollment token"
          + " that lasts 10 minutes: each call issues a new one.",
          "qair zone create eu1 --provider external --opt agent-url=URL --opt agent-sha256=HEX --detach"})
  static final class HostSetup extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where to write the two files")
    java.nio.file.Path out;

    @Override
    public Integer call() {
      JsonNode setup = api().post("/api/v1/zones/" + seg(name) + "/host-setup", null);
      io.qair.protocol.pki.SecureFiles.ownerOnlyDir(out);
      io.qair.protocol.pki.SecureFiles.writePrivate(out.resolve("user-data"), setup.path("userData").asText());
      io.qair.protocol.pki.SecureFiles.writePrivate(out.resolve("startup-script"), setup.path("startupScript").asText());
      env().out().println(out.resolve("user-data") + " and " + out.resolve("startup-script") + " written; the token"
          + " in them lasts 10 minutes. Then: qair zone adopt " + name + " --address HOST");
      return 0;
    }
  }

  @Command(name = "adopt", mixinStandardHelpOptions = true,
      description = "Tell the master where an external zone's host is; it then enrolls the host's agent and follows"
          + " the zone until it is ready or has failed.")
  static final class Adopt extends CliCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--address", required = true, paramLabel = "HOST",
        description = "the host's address or DNS name as the master reaches it (no port: the zone's agent-port)")
    String host;

    @Override
    public Integer call() {
      api().post("/api/v1/zones/" + seg(name) + "/adopt", Map.of("host", host));
      env().out().println(name + " adopted at " + host + "; follow it with `qair zone events " + name + "`");
      return 0;
    }
  }
}
