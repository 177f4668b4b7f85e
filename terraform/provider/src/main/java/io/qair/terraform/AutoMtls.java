package io.qair.terraform;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.TlsMaterial;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * go-plugin's automatic mutual TLS: Terraform passes its (ECDSA P-521) client certificate in
 * {@code PLUGIN_CLIENT_CERT}; the plugin makes a throw-away server certificate for
 * {@code localhost}, trusts only that client certificate, and announces its own in the
 * handshake line. The JDK TLS provider is used because BoringSSL refuses P-521.
 */
public record AutoMtls(KeyPair keys, X509Certificate serverCert, X509Certificate clientCert) {

  public static AutoMtls create(String clientCertPem) {
    try {
      X509Certificate client = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(clientCertPem.getBytes(StandardCharsets.US_ASCII)));
      KeyPair keys = EcCurve.P256.generate();
      return new AutoMtls(keys, selfSigned(keys, EcCurve.P256.signatureAlgorithm()), client);
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up mutual TLS with Terraform: " + e.getMessage(), e);
    }
  }

  /** A self-signed certificate for {@code localhost} (CA:true, as go-plugin makes them), valid for a day. */
  static X509Certificate selfSigned(KeyPair keys, String signatureAlgorithm) {
    Instant now = Instant.now();
    return SelfSignedCertificate.create(keys, signatureAlgorithm, now.minusSeconds(30), now.plus(Duration.ofDays(1)));
  }

  public SslContext serverContext() throws SSLException {
    // JSSE managers rather than key and certificates: Netty would put those in a PKCS#12 key store
    // first, whose password-based key derivation alone costs tens of milliseconds at each start
    return GrpcSslContexts.configure(SslContextBuilder.forServer(TlsMaterial.keyManager(keys.getPrivate(),
            List.of(serverCert))).trustManager(TlsMaterial.trustManager(List.of(clientCert)))
            .clientAuth(ClientAuth.REQUIRE), SslProvider.JDK).build();
  }

  /** The server certificate as the handshake line carries it: base64 DER without padding. */
  public String handshakeCert() {
    try {
      return Base64.getEncoder().withoutPadding().encodeToString(serverCert.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
