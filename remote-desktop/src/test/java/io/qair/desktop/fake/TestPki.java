package io.qair.desktop.fake;

import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.SecureFiles;
import io.qair.protocol.pki.SubjectAltName;
import io.qair.protocol.pki.TlsMaterial;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A master CA for tests, laid out as the master lays out its data directory: {@code ca/ca.pem},
 * {@code ca/gateway.pem}, {@code ca/gateway.key} (CN qair-gateway) and {@code token}.
 */
public final class TestPki {
  public static final String TOKEN = "test-token-0123456789";
  private final CertificateAuthority ca;
  private final Path masterData;

  private TestPki(CertificateAuthority ca, Path masterData) {
    this.ca = ca;
    this.masterData = masterData;
  }

  public static TestPki create(Path masterData) {
    CertificateAuthority ca = CertificateAuthority.create(EcCurve.P256, "test master CA");
    Path dir = SecureFiles.ownerOnlyDir(masterData.resolve("ca"));
    SecureFiles.writePrivate(dir.resolve("ca.pem"), ca.certificatePem());
    KeyPair keys = EcCurve.P256.generate();
    X509Certificate gw = ca.issue(keys.getPublic(), "qair-gateway", List.of(SubjectAltName.dns("localhost")));
    SecureFiles.writePrivate(dir.resolve("gateway.pem"), Pem.write((Object) gw));
    SecureFiles.writePrivate(dir.resolve("gateway.key"), Pem.writeKeyPair(keys));
    SecureFiles.writePrivate(masterData.resolve("token"), TOKEN + "\n");
    return new TestPki(ca, masterData);
  }

  public Path masterData() {
    return masterData;
  }

  /** A server key and certificate from this CA with CN {@code cn} and SAN 127.0.0.1. */
  public KeyCertOptions server(String cn) {
    KeyPair keys = EcCurve.P256.generate();
    X509Certificate cert = ca.issue(keys.getPublic(), cn, List.of(SubjectAltName.ip("127.0.0.1"),
        SubjectAltName.dns("localhost")));
    return KeyCertOptions.wrap(TlsMaterial.keyManager(keys.getPrivate(), List.of(cert)));
  }

  /** Trusts this CA only. */
  public TrustOptions trust() {
    return TrustOptions.wrap(TlsMaterial.trustManager(List.of(ca.certificate())));
  }

  /** Another CA with the same layout: certificates from it must be refused. */
  public static CertificateAuthority stranger() {
    return CertificateAuthority.create(EcCurve.P256, "someone else's CA");
  }
}
