package io.qair.agent.server;

import io.qair.protocol.pki.Certificates;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts a TLS client only if its certificate chains to the master CA and names the master or
 * the gateway. Every zone agent also holds a certificate from that CA; this keeps one zone's agent
 * from acting as the master towards another.
 */
final class MasterClientTrustManager extends X509ExtendedTrustManager {
  static final Set<String> CLIENTS = Set.of(Certificates.MASTER_CN, Certificates.GATEWAY_CN);
  private final X509TrustManager caOnly;

  MasterClientTrustManager(X509TrustManager caOnly) {
    this.caOnly = caOnly;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no client certificate");
    }
    caOnly.checkClientTrusted(chain, authType);
    String cn = Certificates.commonName(chain[0]);
    if (!CLIENTS.contains(cn)) {
      throw new CertificateException("client certificate for '" + cn + "' is not the master's");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the agent server does not dial out");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return caOnly.getAcceptedIssuers();
  }
}
