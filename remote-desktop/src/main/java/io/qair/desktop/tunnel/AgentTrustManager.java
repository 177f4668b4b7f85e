package io.qair.desktop.tunnel;

import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.OneWayTrustManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
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
    if (!namesHost(leaf)) {
      throw new CertificateException("the agent's certificate for zone " + zone + " does not name " + host);
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
    if (!isLiteral(a) || !isLiteral(b)) {
      return false;
    }
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isLiteral(String s) {
    return s.contains(":") || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }
}
