package io.qair.controlplane.cli;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI finds the master and what it talks through: endpoint, token, CA certificate and
 * the standard streams. {@link #fromSystem()} reads {@code QAIR_ENDPOINT}, {@code QAIR_TOKEN},
 * {@code QAIR_CA} and {@code QAIR_HOME}; tests build one directly.
 */
public final class CliEnv {
  public static final String DEFAULT_ENDPOINT = "https://127.0.0.1:7443";

  private final URI endpoint;
  private final String token;
  private final Path tokenFile;
  private final Path caFile;
  private final InputStream stdin;
  private final boolean stdinIsTty;
  private final OutputStream stdout;
  private final OutputStream stderr;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * @param token the token itself, or null to read {@code tokenFile}
   */
  public CliEnv(URI endpoint, String token, Path tokenFile, Path caFile, InputStream stdin, boolean stdinIsTty,
      OutputStream stdout, OutputStream stderr) {
    this.endpoint = endpoint;
    this.token = token;
    this.tokenFile = tokenFile;
    this.caFile = caFile;
    this.stdin = stdin;
    this.stdinIsTty = stdinIsTty;
    this.stdout = stdout;
    this.stderr = stderr;
    this.out = new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    this.err = new PrintWriter(new java.io.OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
  }

  public static CliEnv fromSystem() {
    Map<String, String> env = System.getenv();
    Path home = env.containsKey("QAIR_HOME")
        ? Path.of(env.get("QAIR_HOME"))
        : Path.of(System.getProperty("user.home"), ".local", "share", "qair");
    Path master = home.resolve("master");
    Path ca = env.containsKey("QAIR_CA") ? Path.of(env.get("QAIR_CA")) : master.resolve("ca").resolve("ca.pem");
    URI endpoint = URI.create(env.getOrDefault("QAIR_ENDPOINT", DEFAULT_ENDPOINT).replaceAll("/+$", ""));
    return new CliEnv(endpoint, env.get("QAIR_TOKEN"), master.resolve("token"), ca, System.in,
        System.console() != null, System.out, System.err);
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The bearer token; UNAUTHENTICATED (exit 6) if there is none. */
  public String token() {
    if (token != null && !token.isBlank()) {
      return token.strip();
    }
    try {
      String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (!t.isEmpty()) {
        return t;
      }
    } catch (IOException e) {
      // fall through
    }
    throw new QairException(ErrorKind.UNAUTHENTICATED, "no Admin API token: set QAIR_TOKEN, or run as the user"
        + " who started the master (it writes " + tokenFile + ")");
  }

  public Path caFile() {
    return caFile;
  }

  public InputStream stdin() {
    return stdin;
  }

  public boolean stdinIsTty() {
    return stdinIsTty;
  }

  public OutputStream stdout() {
    return stdout;
  }

  public OutputStream stderr() {
    return stderr;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }
}
