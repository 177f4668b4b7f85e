package io.qair.protocol.pki;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The master's certificate authority: an EC key and a self-signed CA certificate. It issues leaf
 * certificates (serverAuth + clientAuth) for verified CSRs and for keys held in-process.
 *
 * <p>On disk (see {@link #save}): {@code ca.pem} (certificate, may be shared) and {@code ca.key}
 * (PKCS#8, 0600) in a 0700 directory.
 */
public final class CertificateAuthority {
  public static final Duration CA_VALIDITY = Duration.ofDays(3653);
  public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  public static final String CERT_FILE = "ca.pem";
  public static final String KEY_FILE = "ca.key";
  /** Leaves start a little in the past so a peer whose clock lags still accepts them. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final KeyPair keys;
  private final X509Certificate certificate;

  private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new CA with subject {@code CN=commonName}, valid for ten years. */
  public static CertificateAuthority create(EcCurve curve, String commonName) {
    KeyPair keys = curve.generate();
    X500Name name = Certificates.x500(commonName);
    X509Certificate cert = selfSign(keys, name, Certificates.randomSerial(), Instant.now(), CA_VALIDITY, true);
    return new CertificateAuthority(keys, cert);
  }

  /** Loads a CA saved by {@link #save}. */
  public static CertificateAuthority load(Path dir) {
    X509Certificate cert = Pem.readCertificate(SecureFiles.read(dir.resolve(CERT_FILE)));
    KeyPair keys = Pem.readKeyPair(SecureFiles.read(dir.resolve(KEY_FILE)));
    if (!Certificates.sameKey(cert.getPublicKey(), keys.getPublic())) {
      throw new IllegalStateException("CA key and certificate in " + dir + " do not match");
    }
    return new CertificateAuthority(keys, cert);
  }

  /** Loads the CA in {@code dir}, or creates and saves one there if there is none. */
  public static CertificateAuthority loadOrCreate(Path dir, EcCurve curve, String commonName) {
    if (Files.exists(dir.resolve(KEY_FILE))) {
      return load(dir);
    }
    CertificateAuthority ca = create(curve, commonName);
    ca.save(dir);
    return ca;
  }

  /** Writes {@code ca.key} (0600) and {@code ca.pem} to {@code dir} (made 0700). */
  public void save(Path dir) {
    SecureFiles.ownerOnlyDir(dir);
    SecureFiles.writePrivate(dir.resolve(KEY_FILE), Pem.writeKeyPair(keys));
    SecureFiles.writePrivate(dir.resolve(CERT_FILE), certificatePem());
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return Pem.write((Object) certificate);
  }

  public String fingerprint() {
    return Certificates.fingerprint(certificate);
  }

  /**
   * Issues a leaf for the key of a verified CSR. The subject and SANs are the caller's decision;
   * what the CSR asked for is ignored.
   */
  public X509Certificate issue(Csr csr, String commonName, List<SubjectAltName> sans) {
    return issue(csr.publicKey(), commonName, sans);
  }

  /** Issues a leaf (not a CA; serverAuth and clientAuth; one year; random 128-bit serial). */
  public X509Certificate issue(PublicKey subjectKey, String commonName, List<SubjectAltName> sans) {
    EcCurve.of(subjectKey);
    return sign(certificate, keys.getPrivate(), Certificates.x500(commonName), subjectKey,
        Certificates.randomSerial(), Instant.now().minus(BACKDATE), LEAF_VALIDITY, false, sans);
  }

  /** True when {@code cert} was issued by this CA and is valid now. */
  public boolean issued(X509Certificate cert) {
    return Certificates.isIssuedBy(cert, certificate);
  }

  /** A self-signed certificate for {@code keys}. */
  static X509Certificate selfSign(KeyPair keys, X500Name name, BigInteger serial, Instant notBefore,
      Duration validity, boolean ca) {
    return sign(name, keys.getPublic(), keys.getPrivate(), name, keys.getPublic(), serial, notBefore,
        validity, ca, List.of());
  }

  private static X509Certificate sign(X509Certificate issuerCert, PrivateKey issuerKey, X500Name subject,
      PublicKey subjectKey, BigInteger serial, Instant notBefore, Duration validity, boolean ca,
      List<SubjectAltName> sans) {
    try {
      X500Name issuer = new JcaX509CertificateHolder(issuerCert).getSubject();
      return sign(issuer, issuerCert.getPublicKey(), issuerKey, subject, subjectKey, serial, notBefore,
          validity, ca, sans);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X500Name issuer, PublicKey issuerPublic, PrivateKey issuerKey,
      X500Name subject, PublicKey subjectKey, BigInteger serial, Instant notBefore, Duration validity,
      boolean ca, List<SubjectAltName> sans) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
          Date.from(notBefore.plus(validity)), subject, subjectKey);
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      if (issuerPublic != null) {
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPublic));
      }
      if (ca) {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        if (!sans.isEmpty()) {
          GeneralName[] names = sans.stream()
              .map(s -> new GeneralName(s.type() == SubjectAltName.Type.DNS ? GeneralName.dNSName
                  : GeneralName.iPAddress, s.value()))
              .toArray(GeneralName[]::new);
          b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
      }
      var signer = new JcaContentSignerBuilder(EcCurve.of(issuerKey).signatureAlgorithm()).build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (CertIOException | OperatorCreationException | CertificateException
        | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }
}
