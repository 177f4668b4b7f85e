package io.qair.desktop.web;

import io.qair.protocol.QairException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The gateway's own origins (https://localhost:PORT, https://127.0.0.1:PORT, https://[::1]:PORT
 * and any given with {@code --origin}) and the Host headers that go with them. A request whose
 * Host is not one of these is refused (DNS rebinding); a state-changing request or a WebSocket
 * whose Origin is not one of these is refused (CSRF, cross-site WebSocket hijacking).
 */
public final class Origins {
  private final List<URI> extra;
  private volatile Set<String> origins = Set.of();
  private volatile Set<String> hosts = Set.of();
  private volatile String primary = "";

  public Origins(List<URI> extra) {
    for (URI u : extra) {
      if (!"https".equals(u.getScheme()) || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty()
          && !u.getPath().equals("/"))) {
        throw QairException.badRequest("--origin must be https://HOST[:PORT], not " + u);
      }
    }
    this.extra = List.copyOf(extra);
  }

  /** Called once the server listens: the port is known. */
  public void bind(int port) {
    Set<String> o = new HashSet<>();
    Set<String> h = new HashSet<>();
    for (String host : List.of("localhost", "127.0.0.1", "[::1]")) {
      add(o, h, host, port);
    }
    for (URI u : extra) {
      add(o, h, u.getHost().toLowerCase(Locale.ROOT), u.getPort() < 0 ? 443 : u.getPort());
    }
    origins = Set.copyOf(o);
    hosts = Set.copyOf(h);
    primary = "https://localhost:" + port;
  }

  private static void add(Set<String> o, Set<String> h, String host, int port) {
    h.add(host + ":" + port);
    o.add("https://" + host + ":" + port);
    if (port == 443) {
      h.add(host);
      o.add("https://" + host);
    }
  }

  public boolean hostAllowed(String untrustedHost) {
    return untrustedHost != null && hosts.contains(untrustedHost.toLowerCase(Locale.ROOT));
  }

  public boolean originAllowed(String untrustedOrigin) {
    return untrustedOrigin != null && origins.contains(untrustedOrigin.toLowerCase(Locale.ROOT));
  }

  /** {@code https://localhost:PORT}: what to tell the user. */
  public String primary() {
    return primary;
  }
}
