package io.qair.controlplane.zone;

import io.qair.protocol.pki.Certificates;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import io.qair.protocol.pki.OneWayTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How the master decides it is talking to the agent of a zone: the certificate chains to the
 * master CA, its CN is the zone, its serial is the one pinned at enrollment and not revoked, and
 * its SANs name the host that was dialed.
 */
final class PinnedAgentTrustManager extends OneWayTrustManager {
  private final String zone;
  private final String pinnedSerial;
  private final String host;
  private final EnrollmentLedger revocations;

  PinnedAgentTrustManager(X509TrustManager caOnly, String zone, String pinnedSerial, String host,
      EnrollmentLedger revocations) {
    super(caOnly, false);
    this.zone = zone;
    this.pinnedSerial = pinnedSerial;
    this.host = host;
    this.revocations = revocations;
  }

  @Override
  protected String noCertificate() {
    return "zone " + zone + " presented no certificate";
  }

  @Override
  protected void checkPeer(X509Certificate[] chain) throws CertificateException {
    X509Certificate leaf = chain[0];
    if (!zone.equals(Certificates.commonName(leaf))) {
      throw new CertificateException("the agent's certificate is for '" + Certificates.commonName(leaf)
          + "', not zone " + zone);
    }
    String serial = Certificates.serial(leaf);
    if (!serial.equals(pinnedSerial)) {
      throw new CertificateException("the agent's certificate serial " + serial
          + " is not the one enrolled for zone " + zone);
    }
    if (revocations.isRevoked(serial)) {
      throw new CertificateException("the agent's certificate " + serial + " is revoked");
    }
    if (!Certificates.namesHost(leaf, host)) {
      throw new CertificateException("the agent's certificate does not name " + host);
    }
  }
}
