package io.qair.agent;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The zone agent's command line.
 *
 * <pre>
 * AgentMain --data-dir DIR --zone NAME [--listen HOST:PORT] [--ca-cert FILE] [--ca-fingerprint HEX]
 *           [--token-file FILE] [--backend sandbox] [--templates-dir DIR] [--guest-binary FILE]
 * </pre>
 *
 * @param caCert the master CA certificate (PEM); needed at first start, kept in the data dir after
 * @param caFingerprint the SHA-256 the provisioner pinned for {@code caCert}; checked when given
 * @param tokenFile the single-use enrollment token; deleted once enrolled
 */
public record AgentConfig(
    Path dataDir,
    String zone,
    String listenHost,
    int listenPort,
    Path caCert,
    String caFingerprint,
    Path tokenFile,
    String backend,
    Path templatesDir,
    Path guestBinary) {

  public static final String USAGE = "usage: AgentMain --data-dir DIR --zone NAME [--listen HOST:PORT]"
      + " [--ca-cert FILE] [--ca-fingerprint SHA256] [--token-file FILE] [--backend NAME]"
      + " [--templates-dir DIR] [--guest-binary FILE]";

  /** Parses the command line; BAD_REQUEST with the usage for anything wrong. */
  public static AgentConfig parse(String... args) {
    Path dataDir = null;
    String zone = null;
    String listen = "0.0.0.0:7444";
    Path caCert = null;
    String fingerprint = null;
    Path tokenFile = null;
    String backend = "sandbox";
    Path templates = null;
    Path guest = null;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String opt = rest.remove(0);
      if (opt.equals("--help") || opt.equals("-h")) {
        throw QairException.badRequest(USAGE);
      }
      String value;
      int eq = opt.indexOf('=');
      if (opt.startsWith("--") && eq > 0) {
        value = opt.substring(eq + 1);
        opt = opt.substring(0, eq);
      } else if (rest.isEmpty()) {
        throw QairException.badRequest("option " + opt + " needs a value\n" + USAGE);
      } else {
        value = rest.remove(0);
      }
      switch (opt) {
        case "--data-dir" -> dataDir = Path.of(value);
        case "--zone" -> zone = Names.requireZoneName(value);
        case "--listen" -> listen = value;
        case "--ca-cert" -> caCert = Path.of(value);
        case "--ca-fingerprint" -> fingerprint = value;
        case "--token-file" -> tokenFile = Path.of(value);
        case "--backend" -> backend = value;
        case "--templates-dir" -> templates = Path.of(value);
        case "--guest-binary" -> guest = Path.of(value);
        default -> throw QairException.badRequest("unknown option " + Names.printable(opt) + "\n" + USAGE);
      }
    }
    if (dataDir == null || zone == null) {
      throw QairException.badRequest("--data-dir and --zone are required\n" + USAGE);
    }
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw QairException.badRequest("--listen wants HOST:PORT, e.g. 127.0.0.1:0");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw QairException.badRequest("--listen port must be 0-65535");
    }
    if (templates == null) {
      templates = dataDir.resolve("templates");
    }
    return new AgentConfig(dataDir, zone, host, port, caCert, fingerprint, tokenFile, backend, templates, guest);
  }
}
