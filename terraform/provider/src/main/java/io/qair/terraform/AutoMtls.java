package io.qair.terraform;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.qair.protocol.pki.EcCurve;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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

  /** A self-signed certificate for {@code localhost} (CA:true, as go-plugin makes them). */
  static X509Certificate selfSigned(KeyPair keys, String signatureAlgorithm) {
    try {
      X500Name name = new X500Name("CN=localhost,O=qair terraform provider");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()),
          Date.from(now.minusSeconds(30)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a TLS certificate: " + e.getMessage(), e);
    }
  }

  public SslContext serverContext() throws SSLException {
    return GrpcSslContexts.configure(SslContextBuilder.forServer(keys.getPrivate(), serverCert)
            .trustManager(clientCert).clientAuth(ClientAuth.REQUIRE), SslProvider.JDK).build();
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
