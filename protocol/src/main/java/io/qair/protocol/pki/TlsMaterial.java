package io.qair.protocol.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * JDK key and trust managers built from qair keys and certificates, for any TLS stack that takes
 * JSSE material (Vert.x: {@code KeyCertOptions.wrap}, {@code TrustOptions.wrap}).
 */
public final class TlsMaterial {
  private TlsMaterial() {}

  /** A key manager that always presents {@code chain} (leaf first) with {@code key}. */
  public static X509ExtendedKeyManager keyManager(PrivateKey key, List<X509Certificate> chain) {
    return new SingleKeyManager(key, chain.toArray(X509Certificate[]::new));
  }

  /** A PKIX trust manager whose only anchors are {@code anchors}. */
  public static X509TrustManager trustManager(List<X509Certificate> anchors) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        ks.setCertificateEntry("anchor-" + i, anchors.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      for (var tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("no X509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a trust manager", e);
    }
  }

  private static final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "qair";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    private String aliasFor(String keyType) {
      return keyType == null || keyType.equals("EC") || keyType.startsWith("EC_") || keyType.equals(chain[0].getPublicKey().getAlgorithm()) ? ALIAS : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return aliasFor(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }
}
