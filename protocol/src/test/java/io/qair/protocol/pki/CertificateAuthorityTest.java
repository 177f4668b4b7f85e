package io.qair.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private static final CertificateAuthority CA = CertificateAuthority.create(EcCurve.P256, "qair test CA");

  @Test
  void caCertificateIsACaForTenYears() throws Exception {
    X509Certificate c = CA.certificate();
    assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(c.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(c.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(c.getNotAfter().getTime() - c.getNotBefore().getTime())
        .isGreaterThan(3650L * 24 * 3600 * 1000);
    c.verify(c.getPublicKey());
  }

  @Test
  void issuesALeafFromACsrThatChainsToTheCa() throws Exception {
    KeyPair agent = EcCurve.P256.generate();
    Csr csr = Csr.parse(Csr.create(agent, "whatever-the-agent-asks").pem());
    X509Certificate leaf = CA.issue(csr, "work",
        List.of(SubjectAltName.ip("127.0.0.1"), SubjectAltName.dns("localhost")));

    assertThat(Certificates.commonName(leaf)).isEqualTo("work");
    assertThat(leaf.getPublicKey()).isEqualTo(agent.getPublic());
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
        .containsExactlyInAnyOrder("127.0.0.1", "localhost");
    assertThat(leaf.getSerialNumber().bitLength()).isGreaterThan(64).isLessThanOrEqualTo(127);
    assertThat(CA.issued(leaf)).isTrue();

    var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
    var params = new PKIXParameters(Set.of(new TrustAnchor(CA.certificate(), null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(path, params);
  }

  @Test
  void aLeafFromAnotherCaDoesNotChain() {
    CertificateAuthority other = CertificateAuthority.create(EcCurve.P384, "other CA");
    X509Certificate leaf = other.issue(EcCurve.P256.generate().getPublic(), "work", List.of());
    assertThat(CA.issued(leaf)).isFalse();
    assertThat(other.issued(leaf)).isTrue();
  }

  @Test
  void aCsrWithABadSignatureIsRefused() {
    KeyPair agent = EcCurve.P256.generate();
    String pem = Csr.create(agent, "work").pem();
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(b64);
    der[der.length - 5] ^= 0x01; // inside the signature
    String forged = "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n";

    assertThatThrownBy(() -> Csr.parse(forged)).isInstanceOf(QairException.class)
        .satisfies(e -> assertThat(((QairException) e).kind()).isEqualTo(ErrorKind.BAD_REQUEST));
  }

  @Test
  void aCsrSignedWithAnotherKeyIsRefused() throws Exception {
    // CSR naming key A but signed by key B: splice B's signature over A's request info
    KeyPair a = EcCurve.P256.generate();
    KeyPair b = EcCurve.P256.generate();
    var info = new org.bouncycastle.pkcs.PKCS10CertificationRequest(
        Base64.getMimeDecoder().decode(Csr.create(a, "x").pem().replaceAll("-----[A-Z ]+-----", "")))
        .toASN1Structure().getCertificationRequestInfo();
    var sig = java.security.Signature.getInstance("SHA256withECDSA");
    sig.initSign(b.getPrivate());
    sig.update(info.getEncoded());
    var req = new org.bouncycastle.asn1.pkcs.CertificationRequest(info,
        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
            org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256),
        new org.bouncycastle.asn1.DERBitString(sig.sign()));
    String pem = Pem.write(new org.bouncycastle.pkcs.PKCS10CertificationRequest(req));

    assertThatThrownBy(() -> Csr.parse(pem)).isInstanceOf(QairException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void garbageIsNotACsr() {
    assertThatThrownBy(() -> Csr.parse("hello")).isInstanceOf(QairException.class);
    assertThatThrownBy(() -> Csr.parse(CA.certificatePem())).isInstanceOf(QairException.class);
  }

  @Test
  void fingerprintIsSha256OfTheDer() throws Exception {
    String expected = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(CA.certificate().getEncoded()));
    assertThat(CA.fingerprint()).isEqualTo(expected).hasSize(64);
    String withColons = expected.toUpperCase().replaceAll("(..)(?!$)", "$1:");
    assertThat(Certificates.fingerprintMatches(CA.certificate(), withColons)).isTrue();
    assertThat(Certificates.fingerprintMatches(CA.certificate(), "sha256:" + expected)).isTrue();
    assertThat(Certificates.fingerprintMatches(CA.certificate(), expected.replace('a', 'b').replace('0', '1')))
        .isFalse();
  }

  @Test
  void savesOwnerOnlyAndLoadsBack(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ca");
    CA.save(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))))
        .isEqualTo("rw-------");
    CertificateAuthority loaded = CertificateAuthority.load(dir);
    assertThat(loaded.certificate()).isEqualTo(CA.certificate());
    X509Certificate leaf = loaded.issue(EcCurve.P256.generate().getPublic(), "x", List.of());
    assertThat(CA.issued(leaf)).isTrue();
    assertThat(CertificateAuthority.loadOrCreate(dir, EcCurve.P256, "ignored").fingerprint())
        .isEqualTo(CA.fingerprint());
  }

  @Test
  void keyPairRoundTripsThroughPem() {
    KeyPair k = EcCurve.P384.generate();
    KeyPair back = Pem.readKeyPair(Pem.writeKeyPair(k));
    assertThat(back.getPublic()).isEqualTo(k.getPublic());
    assertThat(((java.security.interfaces.ECPrivateKey) back.getPrivate()).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) k.getPrivate()).getS());
  }
}
