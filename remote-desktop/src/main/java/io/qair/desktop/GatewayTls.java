package io.qair.desktop;

import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.SecureFiles;
import io.qair.protocol.pki.SubjectAltName;
import io.qair.protocol.pki.TlsMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The gateway's HTTPS certificate, from its own small CA in {@code DATA_DIR/tls/} ({@code ca.pem}
 * is what a user imports into the browser to trust the desktop; {@code server.pem}/{@code .key}
 * the leaf, SAN localhost, 127.0.0.1, ::1 and any extra host names). The master CA is not used:
 * the gateway does not hold its key, and a browser that trusts the desktop should not thereby
 * trust zone agents. The leaf is re-issued when missing, expiring within 30 days, or missing a name.
 */
final class GatewayTls {
  static final String DIR = "tls";

  private GatewayTls() {}

  /** Blocking. */
  static X509ExtendedKeyManager loadOrCreate(Path dataDir, List<String> extraHosts) {
    Path dir = SecureFiles.ownerOnlyDir(dataDir.resolve(DIR));
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, EcCurve.P256, "qair desktop gateway CA");
    List<SubjectAltName> sans = new ArrayList<>(List.of(SubjectAltName.dns("localhost"),
        SubjectAltName.ip("127.0.0.1"), SubjectAltName.ip("::1")));
    extraHosts.forEach(h -> sans.add(SubjectAltName.forHost(h)));
    Path keyFile = dir.resolve("server.key");
    Path certFile = dir.resolve("server.pem");
    if (Files.exists(keyFile) && Files.exists(certFile)) {
      KeyPair keys = Pem.readKeyPair(SecureFiles.read(keyFile));
      X509Certificate cert = Pem.readCertificate(SecureFiles.read(certFile));
      if (ca.issued(cert) && Certificates.sameKey(cert.getPublicKey(), keys.getPublic())
          && cert.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(30)))
          && namesAll(cert, extraHosts)) {
        return TlsMaterial.keyManager(keys.getPrivate(), List.of(cert, ca.certificate()));
      }
    }
    KeyPair keys = EcCurve.P256.generate();
    X509Certificate cert = ca.issue(keys.getPublic(), "qair desktop", sans);
    SecureFiles.writePrivate(keyFile, Pem.writeKeyPair(keys));
    SecureFiles.writePrivate(certFile, Pem.write((Object) cert));
    return TlsMaterial.keyManager(keys.getPrivate(), List.of(cert, ca.certificate()));
  }

  private static boolean namesAll(X509Certificate cert, List<String> hosts) {
    try {
      var sans = cert.getSubjectAlternativeNames();
      for (String h : hosts) {
        if (sans == null || sans.stream().noneMatch(s -> String.valueOf(s.get(1)).equalsIgnoreCase(h))) {
          return false;
        }
      }
      return true;
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
  }
}
