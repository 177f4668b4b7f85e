package io.qair.desktop.tunnel;

import io.qair.desktop.master.MasterClient;
import io.qair.protocol.HostPort;
import io.qair.protocol.QairException;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.TlsMaterial;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Dials a qube's display on its zone agent: {@code wss://ADDRESS/v1/qubes/NAME/display},
 * subprotocol {@code guacamole}, with the gateway's client certificate (CN {@code qair-gateway})
 * and trusting only the agent certificate of that zone from the master CA. The qube's zone and
 * the zone's address come from the master. One WebSocket client per zone and address.
 */
public final class AgentConnector {
  private final Vertx vertx;
  private final MasterClient master;
  private final X509TrustManager caOnly;
  private final X509ExtendedKeyManager keys;
  private final Map<String, WebSocketClient> clients = new ConcurrentHashMap<>();

  private AgentConnector(Vertx vertx, MasterClient master, X509TrustManager caOnly, X509ExtendedKeyManager keys) {
    this.vertx = vertx;
    this.master = master;
    this.caOnly = caOnly;
    this.keys = keys;
  }

  /** {@code certPem}/{@code keyPem}: the gateway's client certificate and key, issued by the master CA. */
  public static AgentConnector create(Vertx vertx, MasterClient master, String certPem, String keyPem) {
    List<X509Certificate> chain = Pem.readCertificates(certPem);
    KeyPair pair = Pem.readKeyPair(keyPem);
    X509TrustManager ca = TlsMaterial.trustManager(Pem.readCertificates(master.config().caPem()));
    return new AgentConnector(vertx, master, ca, TlsMaterial.keyManager(pair.getPrivate(), chain));
  }

  /** Opens the display of {@code qube}. */
  public Future<WebSocket> connect(String qube) {
    return master.qube(qube).compose(q -> {
      String zone = q.getString("zone");
      String state = q.getString("state");
      if (!"RUNNING".equals(state)) {
        return Future.failedFuture(QairException.conflict("qube " + qube + " is " + state + ": start it first"));
      }
      return master.zones().compose(zones -> {
        JsonObject z = null;
        for (Object o : zones) {
          if (o instanceof JsonObject j && zone != null && zone.equals(j.getString("name"))) {
            z = j;
          }
        }
        if (z == null || !"READY".equals(z.getString("state"))) {
          return Future.failedFuture(QairException.unavailable("zone " + zone + " of qube " + qube
              + " is not ready" + (z == null ? "" : " (" + z.getString("state") + ")"), null));
        }
        HostPort address;
        try {
          address = HostPort.parse(z.getString("address"));
        } catch (QairException e) {
          return Future.failedFuture(QairException.unavailable("zone " + zone + " has no usable agent address: "
              + e.getMessage(), e));
        }
        return dial(zone, address, qube);
      });
    });
  }

  private Future<WebSocket> dial(String zone, HostPort address, String qube) {
    WebSocketClient client = clients.computeIfAbsent(zone + "@" + address.host() + ":" + address.port(),
        k -> vertx.createWebSocketClient(new WebSocketClientOptions()
            .setSsl(true)
            .setVerifyHost(false) // AgentTrustManager checks the SANs against the host
            .setKeyCertOptions(KeyCertOptions.wrap(keys))
            .setTrustOptions(TrustOptions.wrap(new AgentTrustManager(caOnly, zone, address.host())))
            .setConnectTimeout((int) TunnelLimits.CONNECT_TIMEOUT_MS)
            .setMaxMessageSize(TunnelLimits.AGENT_MESSAGE)
            .setMaxFrameSize(1024 * 1024)));
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(address.host())
        .setPort(address.port())
        .setSsl(true)
        .setURI("/v1/qubes/" + qube + "/display")
        .addSubProtocol("guacamole")
        .setTimeout(TunnelLimits.CONNECT_TIMEOUT_MS);
    return client.connect(options).recover(e -> Future.failedFuture(
        e instanceof UpgradeRejectedException u
            ? QairException.unavailable("the agent of zone " + zone + " refused the display of " + qube
                + " (HTTP " + u.getStatus() + ")", e)
            : QairException.unavailable("cannot reach the display of " + qube + " on zone " + zone + ": "
                + why(e), e)));
  }

  /** The innermost message: a refused certificate says why, deep under the TLS exceptions. */
  private static String why(Throwable e) {
    String message = e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  public void close() {
    clients.values().forEach(WebSocketClient::close);
    clients.clear();
  }
}
