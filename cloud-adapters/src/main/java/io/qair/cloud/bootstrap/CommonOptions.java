package io.qair.cloud.bootstrap;

import io.qair.cloud.spi.AdapterContext;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Zone options every cloud adapter understands, parsed from {@code ZoneRequest.options()} with
 * adapter settings as defaults: {@code agent-port} (default 7444), {@code allow-from} (an IPv4
 * CIDR, required: the master's public address, e.g. {@code 203.0.113.7/32}), {@code agent-url} and
 * {@code agent-sha256} (settings {@code agent.dist-url}, {@code agent.dist-sha256}; null {@code dist}
 * when neither is given: the adapter may publish the distribution itself).
 */
public record CommonOptions(int agentPort, String allowFrom, AgentDistribution dist) {
  public static final int DEFAULT_AGENT_PORT = 7444;
  public static final Set<String> KEYS = Set.of("agent-port", "allow-from", "agent-url", "agent-sha256");
  private static final Pattern CIDR = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)");

  /** BAD_REQUEST for an option this adapter does not know, listing the ones it does. */
  public static void rejectUnknown(String provider, Map<String, String> options, Set<String> providerKeys) {
    for (String key : options.keySet()) {
      if (!KEYS.contains(key) && !providerKeys.contains(key)) {
        Set<String> known = new TreeSet<>(KEYS);
        known.addAll(providerKeys);
        throw QairException.badRequest("unknown " + provider + " zone option '" + Names.printable(key)
            + "': use " + String.join(", ", known));
      }
    }
  }

  public static CommonOptions parse(Map<String, String> options, AdapterContext context) {
    int port = number(option(options, context, "agent-port", "agent.port"), "agent-port", 1, 65535,
        DEFAULT_AGENT_PORT, "a TCP port");
    String allow = option(options, context, "allow-from", "allow-from");
    if (allow == null) {
      throw QairException.badRequest("a cloud zone needs allow-from: the address range the master connects"
          + " from, e.g. --opt allow-from=203.0.113.7/32 (the agent port is opened to nothing else)");
    }
    allow = allow.strip();
    if (!CIDR.matcher(allow).matches()) {
      throw QairException.badRequest("allow-from '" + Names.printable(allow)
          + "' is not an IPv4 range: write it as ADDRESS/BITS, e.g. 203.0.113.7/32");
    }
    String url = option(options, context, "agent-url", "agent.dist-url");
    String sha = option(options, context, "agent-sha256", "agent.dist-sha256");
    if (url == null && sha == null) {
      return new CommonOptions(port, allow, null);
    }
    if (url == null || sha == null) {
      throw noDistribution("");
    }
    return new CommonOptions(port, allow, AgentDistribution.parse(url, sha));
  }

  /** BAD_REQUEST: the zone host would have no agent to install. */
  public static QairException noDistribution(String orElse) {
    return QairException.badRequest("no agent distribution for the zone host: set agent-url (a short-lived"
        + " https URL of the agent tar.gz) and agent-sha256 (its sha256sum), as zone options or as the"
        + " adapter settings agent.dist-url and agent.dist-sha256" + orElse);
  }

  /**
   * An untrusted whole number from {@code min} to {@code max}, or {@code dflt} when absent;
   * BAD_REQUEST saying what it must be otherwise.
   */
  public static int number(String untrusted, String key, int min, int max, int dflt, String what) {
    if (untrusted == null) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(untrusted.strip());
    } catch (NumberFormatException e) {
      n = min - 1;
    }
    if (n < min || n > max) {
      throw QairException.badRequest(key + " '" + Names.printable(untrusted) + "' must be " + what + ": a number from "
          + min + " to " + max + " (default " + dflt + ")");
    }
    return n;
  }

  /** A comma-separated adapter setting as a list (empty when unset). */
  public static java.util.List<String> list(AdapterContext context, String setting) {
    return context.setting(setting).stream().flatMap(s -> java.util.Arrays.stream(s.split(",")))
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * The master passes one context to every adapter; this one's view of it: settings
   * {@code PROVIDER.KEY} (e.g. {@code aws.region}, from system property
   * {@code qair.adapter.aws.region}) override plain {@code KEY}, and its records live in
   * {@code STATE_DIR/.PROVIDER}, apart from the local adapter's zone directories.
   */
  public static AdapterContext forProvider(AdapterContext context, String provider) {
    Map<String, String> settings = new java.util.HashMap<>(context.settings());
    context.settings().forEach((k, v) -> {
      if (k.startsWith(provider + ".")) {
        settings.put(k.substring(provider.length() + 1), v);
      }
    });
    return new AdapterContext(context.stateDir().resolve("." + provider), settings);
  }

  /** The option, else the adapter setting, else null. */
  public static String option(Map<String, String> options, AdapterContext context, String key, String setting) {
    String v = options.get(key);
    if (v != null && !v.isBlank()) {
      return v;
    }
    return context.setting(setting).orElse(null);
  }
}
