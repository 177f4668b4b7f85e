package io.qair.controlplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Base of every leaf command: the environment, the Admin API client and output helpers. */
abstract class CliCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  private AdminClient client;

  CliEnv env() {
    return ((QairCli) spec.root().userObject()).env();
  }

  AdminClient api() {
    if (client == null) {
      client = new AdminClient(env());
    }
    return client;
  }

  /** A path segment, percent-encoded: names are untrusted until the master has checked them. */
  static String seg(String untrusted) {
    return java.net.URLEncoder.encode(untrusted, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  void printJson(JsonNode node) {
    try {
      env().out().println(api().json().writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code -o table|json} for listing commands. */
  static class OutputOption {
    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table (default) or json")
    Format format;
  }

  enum Format { table, json }
}
