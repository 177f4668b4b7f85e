package io.qair.desktop.master;

import io.qair.protocol.QairException;
import io.qair.protocol.pki.SecureFiles;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where the master is and how to talk to it: its URL (https), the master CA (PEM) that its
 * certificate must chain to, and the Admin API token.
 */
public record MasterConfig(URI endpoint, String caPem, String token) {
  public MasterConfig {
    if (!"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
      throw QairException.badRequest("the master URL must be https://HOST:PORT, not " + endpoint);
    }
    if (token == null || token.isBlank()) {
      throw QairException.badRequest("the master's API token is empty");
    }
  }

  /** Reads the CA and the token from their files (blocking). */
  public static MasterConfig load(URI endpoint, Path caFile, Path tokenFile) {
    return new MasterConfig(endpoint, SecureFiles.read(caFile), SecureFiles.read(tokenFile).strip());
  }

  public URI uri(String path) {
    String base = endpoint.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
  }

  public String host() {
    return endpoint.getHost();
  }

  public int port() {
    return endpoint.getPort() < 0 ? 443 : endpoint.getPort();
  }

  QairException unreachable(Throwable cause) {
    if (cause instanceof QairException q) {
      return q;
    }
    return QairException.unavailable("the master at " + endpoint + " is not reachable (" + cause.getMessage()
        + "): start it with `./qair up`", cause);
  }

  @Override
  public String toString() {
    return "MasterConfig[" + endpoint + "]";
  }
}
