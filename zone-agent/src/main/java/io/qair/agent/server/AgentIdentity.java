package io.qair.agent.server;

import io.qair.protocol.QairException;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.Csr;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.SecureFiles;
import io.qair.protocol.pki.TlsMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The agent's key pair and certificates, kept in its data directory:
 *
 * <ul>
 *   <li>{@code agent.key}: the EC P-256 private key, 0600, made here and never sent anywhere
 *   <li>{@code agent-selfsigned.pem}: the throw-away certificate served before enrollment
 *   <li>{@code agent.pem}: the master-issued certificate; its presence means "enrolled", for good
 * </ul>
 */
public final class AgentIdentity {
  public static final String KEY_FILE = "agent.key";
  public static final String SELF_SIGNED_FILE = "agent-selfsigned.pem";
  public static final String CERT_FILE = "agent.pem";

  private final Path dataDir;
  private final String zone;
  private final X509Certificate masterCa;
  private final KeyPair keys;
  private final X509Certificate selfSigned;
  private volatile X509Certificate issued;

  private AgentIdentity(Path dataDir, String zone, X509Certificate masterCa, KeyPair keys,
      X509Certificate selfSigned, X509Certificate issued) {
    this.dataDir = dataDir;
    this.zone = zone;
    this.masterCa = masterCa;
    this.keys = keys;
    this.selfSigned = selfSigned;
    this.issued = issued;
  }

  /** Loads the identity in {@code dataDir}, making the key pair on first start. */
  public static AgentIdentity loadOrCreate(Path dataDir, String zone, X509Certificate masterCa) {
    SecureFiles.ownerOnlyDir(dataDir);
    Path keyFile = dataDir.resolve(KEY_FILE);
    KeyPair keys;
    if (Files.exists(keyFile)) {
      keys = Pem.readKeyPair(SecureFiles.read(keyFile));
    } else {
      keys = EcCurve.P256.generate();
      SecureFiles.writePrivate(keyFile, Pem.writeKeyPair(keys));
    }
    Path selfFile = dataDir.resolve(SELF_SIGNED_FILE);
    X509Certificate self = Files.exists(selfFile) ? Pem.readCertificate(SecureFiles.read(selfFile)) : null;
    if (self == null || !Certificates.sameKey(self.getPublicKey(), keys.getPublic()) || expired(self)) {
      self = Certificates.selfSigned(keys, zone, Duration.ofDays(365));
      SecureFiles.writePrivate(selfFile, Pem.write((Object) self));
    }
    X509Certificate issued = null;
    Path certFile = dataDir.resolve(CERT_FILE);
    if (Files.exists(certFile)) {
      issued = Pem.readCertificate(SecureFiles.read(certFile));
      check(issued, keys, masterCa, zone);
    }
    return new AgentIdentity(dataDir, zone, masterCa, keys, self, issued);
  }

  private static boolean expired(X509Certificate c) {
    try {
      c.checkValidity();
      return false;
    } catch (java.security.cert.CertificateException e) {
      return true;
    }
  }

  private static void check(X509Certificate cert, KeyPair keys, X509Certificate ca, String zone) {
    if (!Certificates.sameKey(cert.getPublicKey(), keys.getPublic())) {
      throw QairException.badRequest("the certificate is not for this agent's key");
    }
    Certificates.requireIssuedBy(cert, ca);
    if (!zone.equals(Certificates.commonName(cert))) {
      throw QairException.badRequest("the certificate is for zone '" + Certificates.commonName(cert)
          + "', this agent serves zone '" + zone + "'");
    }
  }

  public boolean enrolled() {
    return issued != null;
  }

  public String zone() {
    return zone;
  }

  public X509Certificate masterCa() {
    return masterCa;
  }

  /** The certificate the server presents now: the issued one once enrolled. */
  public X509Certificate certificate() {
    X509Certificate c = issued;
    return c != null ? c : selfSigned;
  }

  public X509ExtendedKeyManager keyManager() {
    return TlsMaterial.keyManager(keys.getPrivate(), List.of(certificate()));
  }

  /**
   * Trusts only clients with a certificate from the master CA whose CN is the master's or the
   * gateway's: another zone's agent holds a certificate from the same CA, and must not be able to
   * drive this one.
   */
  public X509TrustManager trustManager() {
    return new MasterClientTrustManager(TlsMaterial.trustManager(List.of(masterCa)));
  }

  public Csr csr() {
    return Csr.create(keys, zone);
  }

  /**
   * Accepts the master-issued certificate: it must be for this agent's key, chain to the master
   * CA and name this zone. Persisted before it is used; enrollment is then closed for good.
   */
  public synchronized void complete(String untrustedCertPem) {
    if (issued != null) {
      throw QairException.notFound("enrollment is closed: this agent is already enrolled");
    }
    X509Certificate cert = Pem.readCertificate(untrustedCertPem);
    check(cert, keys, masterCa, zone);
    SecureFiles.writePrivate(dataDir.resolve(CERT_FILE), Pem.write((Object) cert));
    issued = cert;
  }
}
