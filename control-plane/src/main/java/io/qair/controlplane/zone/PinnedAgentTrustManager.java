package io.qair.controlplane.zone;

import io.qair.protocol.pki.Certificates;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
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
    if (!namesHost(leaf)) {
      throw new CertificateException("the agent's certificate does not name " + host);
    }
  }

  private boolean namesHost(X509Certificate leaf) throws CertificateParsingException {
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    if (sans == null) {
      return false;
    }
    for (List<?> san : sans) {
      Object type = san.get(0);
      String value = String.valueOf(san.get(1));
      if (Integer.valueOf(2).equals(type) && value.equalsIgnoreCase(host)) {
        return true;
      }
      if (Integer.valueOf(7).equals(type) && sameAddress(value, host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameAddress(String a, String b) {
    if (!looksLikeIp(a) || !looksLikeIp(b)) {
      return false;
    }
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean looksLikeIp(String s) {
    return s.contains(":") || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }
}
