package io.qair.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterPkiTest {
  @TempDir Path tmp;

  @Test
  void createsOwnerOnlyFilesAndReloadsTheSameCa() throws Exception {
    MasterPki first = MasterPki.loadOrCreate(tmp);
    Path ca = tmp.resolve("ca");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca))).isEqualTo("rwx------");
    for (String f : new String[] {"ca.key", "server.key", "client.key"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve(f)))).as(f)
          .isEqualTo("rw-------");
    }
    assertThat(first.caCertFile()).isEqualTo(ca.resolve("ca.pem"));
    assertThat(Pem.readCertificate(Files.readString(first.caCertFile()))).isEqualTo(first.ca().certificate());

    MasterPki again = MasterPki.loadOrCreate(tmp);
    assertThat(again.caFingerprint()).isEqualTo(first.caFingerprint());
    assertThat(again.masterId()).isEqualTo(first.masterId()).startsWith("qair-");
    assertThat(again.serverCertPem()).isEqualTo(first.serverCertPem());
  }

  @Test
  void theServerCertificateNamesLocalhostAndChainsToTheCa() throws Exception {
    MasterPki pki = MasterPki.loadOrCreate(tmp);
    X509Certificate server = Pem.readCertificate(pki.serverCertPem());
    assertThat(pki.ca().issued(server)).isTrue();
    assertThat(server.getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
        .containsExactlyInAnyOrder("localhost", "127.0.0.1");
    assertThat(pki.ca().issued(pki.clientCertificate())).isTrue();
    assertThat(Certificates.sameKey(Pem.readKeyPair(pki.serverKeyPem()).getPublic(), server.getPublicKey())).isTrue();
  }

  @Test
  void reissuesALeafThatTheCaDidNotIssue() throws Exception {
    MasterPki pki = MasterPki.loadOrCreate(tmp);
    Files.writeString(tmp.resolve("ca/server.pem"), Pem.write((Object) pki.clientCertificate()));
    MasterPki reloaded = MasterPki.loadOrCreate(tmp);
    X509Certificate server = Pem.readCertificate(reloaded.serverCertPem());
    assertThat(server).isNotEqualTo(pki.clientCertificate());
    assertThat(reloaded.ca().issued(server)).isTrue();
  }
}
