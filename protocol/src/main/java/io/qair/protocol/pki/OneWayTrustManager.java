package io.qair.protocol.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A trust manager for one side of a connection only: it trusts peers that chain to the master CA
 * ({@code caOnly}) and pass {@link #checkPeer}; the other direction is always refused. Subclasses
 * say which direction they serve and what more a peer must prove.
 */
public abstract class OneWayTrustManager extends X509ExtendedTrustManager {
  private final X509TrustManager caOnly;
  private final boolean server;

  /** @param server true when this side is the TLS server (it checks clients), false when it dials */
  protected OneWayTrustManager(X509TrustManager caOnly, boolean server) {
    this.caOnly = caOnly;
    this.server = server;
  }

  /** Further checks on a peer chain that the CA already accepted. */
  protected abstract void checkPeer(X509Certificate[] chain) throws CertificateException;

  /** The message when the peer sent no certificate at all. */
  protected abstract String noCertificate();

  private void check(X509Certificate[] chain, String authType, boolean peerIsClient) throws CertificateException {
    if (peerIsClient != server) {
      throw new CertificateException(server ? "this side does not dial out" : "this side does not accept connections");
    }
    if (chain == null || chain.length == 0) {
      throw new CertificateException(noCertificate());
    }
    if (peerIsClient) {
      caOnly.checkClientTrusted(chain, authType);
    } else {
      caOnly.checkServerTrusted(chain, authType);
    }
    checkPeer(chain);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, authType, true);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, authType, true);
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType, true);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, authType, false);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, authType, false);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType, false);
  }

  @Override
  public final X509Certificate[] getAcceptedIssuers() {
    return caOnly.getAcceptedIssuers();
  }
}
