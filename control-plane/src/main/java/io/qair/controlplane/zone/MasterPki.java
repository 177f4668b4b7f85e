package io.qair.controlplane.zone;

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
import java.util.List;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The master's PKI in {@code MASTER_DATA/ca/} (0700): the CA ({@code ca.key}, {@code ca.pem} for
 * the CLI), the Admin API's server certificate ({@code server.key}, {@code server.pem}; SAN
 * localhost and 127.0.0.1) and the client certificate the master dials agents with
 * ({@code client.key}, {@code client.pem}), and the gateway's client certificate ({@code gateway.key},
 * {@code gateway.pem}, CN {@code qair-gateway}): the gateway process on this machine reads it to dial
 * agents for qube displays. Leaves are re-issued when missing, not from this CA,
 * or within 30 days of expiry.
 */
public final class MasterPki {
  public static final String DIR = "ca";
  /** Base name of the gateway's key and certificate in {@link #DIR}. */
  public static final String GATEWAY = "gateway";
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private final Path dir;
  private final CertificateAuthority ca;
  private final Leaf server;
  private final Leaf client;

  private record Leaf(KeyPair keys, X509Certificate cert) {}

  private MasterPki(Path dir, CertificateAuthority ca, Leaf server, Leaf client) {
    this.dir = dir;
    this.ca = ca;
    this.server = server;
    this.client = client;
  }

  /** Loads the PKI under {@code masterDataDir/ca}, creating whatever is missing. Blocks. */
  public static MasterPki loadOrCreate(Path masterDataDir) {
    Path dir = SecureFiles.ownerOnlyDir(masterDataDir.resolve(DIR));
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, EcCurve.P256, "qair master CA");
    List<SubjectAltName> local = List.of(SubjectAltName.dns("localhost"), SubjectAltName.ip("127.0.0.1"));
    Leaf server = leaf(dir, "server", ca, Certificates.MASTER_CN, local);
    Leaf client = leaf(dir, "client", ca, Certificates.MASTER_CN, local);
    leaf(dir, GATEWAY, ca, Certificates.GATEWAY_CN, local);
    return new MasterPki(dir, ca, server, client);
  }

  private static Leaf leaf(Path dir, String name, CertificateAuthority ca, String cn, List<SubjectAltName> sans) {
    Path keyFile = dir.resolve(name + ".key");
    Path certFile = dir.resolve(name + ".pem");
    if (Files.exists(keyFile) && Files.exists(certFile)) {
      KeyPair keys = Pem.readKeyPair(SecureFiles.read(keyFile));
      X509Certificate cert = Pem.readCertificate(SecureFiles.read(certFile));
      if (ca.issued(cert) && Certificates.sameKey(cert.getPublicKey(), keys.getPublic())
          && cert.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
        return new Leaf(keys, cert);
      }
    }
    KeyPair keys = EcCurve.P256.generate();
    X509Certificate cert = ca.issue(keys.getPublic(), cn, sans);
    SecureFiles.writePrivate(keyFile, Pem.writeKeyPair(keys));
    SecureFiles.writePrivate(certFile, Pem.write((Object) cert));
    return new Leaf(keys, cert);
  }

  public CertificateAuthority ca() {
    return ca;
  }

  public String caCertPem() {
    return ca.certificatePem();
  }

  public String caFingerprint() {
    return ca.fingerprint();
  }

  /** {@code ca/ca.pem}: what the CLI trusts. */
  public Path caCertFile() {
    return dir.resolve(CertificateAuthority.CERT_FILE);
  }

  /**
   * Names this master to cloud adapters (hosts are tagged with it): stable for the life of the CA,
   * so a master that restarts finds its own hosts and never another master's.
   */
  public String masterId() {
    return "qair-" + ca.fingerprint().substring(0, 16);
  }

  /** For the Admin API server: {@code KeyCertOptions.wrap(pki.serverKeyManager())}. */
  public X509ExtendedKeyManager serverKeyManager() {
    return TlsMaterial.keyManager(server.keys().getPrivate(), List.of(server.cert()));
  }

  /** The Admin API server certificate and key as PEM (for {@code PemKeyCertOptions}). */
  public String serverCertPem() {
    return Pem.write((Object) server.cert());
  }

  public String serverKeyPem() {
    return Pem.writeKeyPair(server.keys());
  }

  /** The certificate the master presents to agents. */
  public X509ExtendedKeyManager clientKeyManager() {
    return TlsMaterial.keyManager(client.keys().getPrivate(), List.of(client.cert()));
  }

  public X509Certificate clientCertificate() {
    return client.cert();
  }

  /** Trusts only certificates from this CA. */
  public X509TrustManager caTrustManager() {
    return TlsMaterial.trustManager(List.of(ca.certificate()));
  }

  /**
   * The TLS engine for every connection the master makes or accepts: the JDK's, with the handshake's
   * work (ECDHE, signatures: milliseconds of CPU each) on worker threads rather than the event loop,
   * so a hundred agents enrolling at once do not hold up the Admin API (measured with
   * {@code bench/zones}).
   */
  public static io.vertx.core.net.SSLEngineOptions sslEngine() {
    return new io.vertx.core.net.JdkSSLEngineOptions().setUseWorkerThread(true);
  }
}
