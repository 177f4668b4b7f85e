package io.qair.desktop.tunnel;

import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.OneWayTrustManager;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * How the gateway knows it reached the agent of a zone: the certificate chains to the master CA,
 * its CN is the zone (the master issues zone certificates under the zone's name, never under a
 * {@code qair-} name), and its SANs name the host that was dialed.
 */
final class AgentTrustManager extends OneWayTrustManager {
  private final String zone;
  private final String host;

  AgentTrustManager(X509TrustManager caOnly, String zone, String host) {
    super(caOnly, false);
    this.zone = zone;
    this.host = host;
  }

  @Override
  protected String noCertificate() {
    return "the agent of zone " + zone + " presented no certificate";
  }

  @Override
  protected void checkPeer(X509Certificate[] chain) throws CertificateException {
    X509Certificate leaf = chain[0];
    String cn = Certificates.commonName(leaf);
    if (!zone.equals(cn) || zone.startsWith(Certificates.RESERVED_PREFIX)) {
      throw new CertificateException("the agent's certificate is for '" + cn + "', not zone " + zone);
    }
    if (!Certificates.namesHost(leaf, host)) {
      throw new CertificateException("the agent's certificate for zone " + zone + " does not name " + host);
    }
  }
}
