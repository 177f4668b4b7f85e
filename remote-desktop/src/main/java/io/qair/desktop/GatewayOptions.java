package io.qair.desktop;

import io.qair.desktop.auth.SessionStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How to run a gateway.
 *
 * @param dataDir the gateway's own files (password hash, first-login password, TLS)
 * @param host the address to listen on (127.0.0.1 by default)
 * @param port 0 for any free port
 * @param master the master's Admin API URL
 * @param masterCa the master CA certificate ({@code MASTER_DATA/ca/ca.pem})
 * @param tokenFile the Admin API token ({@code MASTER_DATA/token})
 * @param clientCert the gateway's client certificate toward agents ({@code MASTER_DATA/ca/gateway.pem})
 * @param clientKey its key ({@code MASTER_DATA/ca/gateway.key})
 * @param origins more origins the page may be served as (behind a proxy), e.g. https://desk.example
 * @param clock for session expiry and the login throttle
 * @param idle how long an unused session lives
 */
public record GatewayOptions(Path dataDir, String host, int port, URI master, Path masterCa, Path tokenFile,
    Path clientCert, Path clientKey, List<URI> origins, Clock clock, Duration idle) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8443;

  public GatewayOptions {
    origins = List.copyOf(origins);
  }

  /** The usual set-up next to a master whose data directory is {@code masterData}. */
  public static GatewayOptions forMaster(Path dataDir, int port, URI master, Path masterData) {
    Path ca = masterData.resolve("ca");
    return new GatewayOptions(dataDir, DEFAULT_HOST, port, master, ca.resolve("ca.pem"), masterData.resolve("token"),
        ca.resolve("gateway.pem"), ca.resolve("gateway.key"), List.of(), Clock.systemUTC(), SessionStore.DEFAULT_IDLE);
  }

  public GatewayOptions withClock(Clock c) {
    return new GatewayOptions(dataDir, host, port, master, masterCa, tokenFile, clientCert, clientKey, origins, c, idle);
  }
}
