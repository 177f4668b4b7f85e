package io.qair.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.pki.EcCurve;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfSignedCertificateTest {
  @Test
  void theJdkReadsWhatGoPluginExpects() throws Exception {
    KeyPair keys = EcCurve.P256.generate();
    Instant from = Instant.parse("2026-01-02T03:04:05Z");
    X509Certificate c = SelfSignedCertificate.create(keys, "SHA256withECDSA", from, from.plusSeconds(86_400));
    c.verify(keys.getPublic());
    assertThat(c.getVersion()).isEqualTo(3);
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost,O=qair terraform provider");
    assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
    assertThat(c.getNotBefore().toInstant()).isEqualTo(from);
    assertThat(c.getNotAfter().toInstant()).isEqualTo(from.plusSeconds(86_400));
    assertThat(c.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"));
    assertThat(c.getBasicConstraints()).as("CA:true").isEqualTo(Integer.MAX_VALUE);
    assertThat(c.getKeyUsage()).startsWith(true, false, true, false, false, true, false);
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(c.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
    assertThat(c.getSerialNumber().signum()).isPositive();
  }

  @Test
  void p521WithSha512AsTerraformsClientCertificate() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp521r1"));
    KeyPair keys = g.generateKeyPair();
    Instant now = Instant.now();
    X509Certificate c = SelfSignedCertificate.create(keys, "SHA512withECDSA", now, now.plusSeconds(60));
    c.verify(keys.getPublic());
    assertThat(c.getSigAlgName()).isEqualTo("SHA512withECDSA");
    assertThatThrownBy(() -> SelfSignedCertificate.create(keys, "SHA1withRSA", now, now))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
