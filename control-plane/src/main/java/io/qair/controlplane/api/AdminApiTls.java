package io.qair.controlplane.api;

import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.SubjectAltName;
import io.qair.protocol.pki.TlsMaterial;
import io.vertx.core.net.KeyCertOptions;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The Admin API's TLS identity: a fresh key pair at every start, with a certificate issued by the
 * master CA in {@code DATA_DIR/ca} (made there on first start). The CLI trusts {@code ca/ca.pem}.
 */
public final class AdminApiTls {
  public static final String CA_DIR = "ca";

  private AdminApiTls() {}

  /** Key and certificate for {@code hosts} (IP literals or DNS names) from the CA in {@code caDir}. */
  public static KeyCertOptions fromCa(Path caDir, List<String> hosts) {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir, EcCurve.P256, "qair master CA");
    KeyPair keys = EcCurve.P256.generate();
    List<SubjectAltName> sans = new ArrayList<>();
    for (String h : hosts) {
      sans.add(SubjectAltName.forHost(h));
    }
    X509Certificate leaf = ca.issue(keys.getPublic(), "qair admin api", sans);
    return KeyCertOptions.wrap(TlsMaterial.keyManager(keys.getPrivate(), List.of(leaf, ca.certificate())));
  }
}
