package io.qair.agent.server;

import io.qair.protocol.pki.Certificates;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import io.qair.protocol.pki.OneWayTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts a TLS client only if its certificate chains to the master CA and names the master or
 * the gateway. Every zone agent also holds a certificate from that CA; this keeps one zone's agent
 * from acting as the master towards another.
 */
final class MasterClientTrustManager extends OneWayTrustManager {
  static final Set<String> CLIENTS = Set.of(Certificates.MASTER_CN, Certificates.GATEWAY_CN);

  MasterClientTrustManager(X509TrustManager caOnly) {
    super(caOnly, true);
  }

  @Override
  protected String noCertificate() {
    return "no client certificate";
  }

  @Override
  protected void checkPeer(X509Certificate[] chain) throws CertificateException {
    String cn = Certificates.commonName(chain[0]);
    if (!CLIENTS.contains(cn)) {
      throw new CertificateException("client certificate for '" + cn + "' is not the master's");
    }
  }
}
