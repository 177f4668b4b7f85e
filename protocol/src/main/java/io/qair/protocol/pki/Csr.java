package io.qair.protocol.pki;

import io.qair.protocol.QairException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request whose self-signature has been checked: holding one proves
 * that whoever made it holds the private key of {@link #publicKey()}.
 */
public final class Csr {
  private final JcaPKCS10CertificationRequest request;
  private final PublicKey publicKey;

  private Csr(JcaPKCS10CertificationRequest request, PublicKey publicKey) {
    this.request = request;
    this.publicKey = publicKey;
  }

  /** A CSR for {@code keys}, subject {@code CN=cn}, signed with the private key. */
  public static Csr create(KeyPair keys, String cn) {
    try {
      var signer = new JcaContentSignerBuilder(EcCurve.of(keys.getPrivate()).signatureAlgorithm())
          .build(keys.getPrivate());
      PKCS10CertificationRequest req =
          new JcaPKCS10CertificationRequestBuilder(Certificates.x500(cn), keys.getPublic()).build(signer);
      return new Csr(new JcaPKCS10CertificationRequest(req), keys.getPublic());
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a CSR", e);
    }
  }

  /**
   * Parses untrusted PEM and checks the CSR's signature with the public key it names. BAD_REQUEST
   * if the text is not a CSR, the key is not EC P-256/P-384, or the signature does not verify.
   */
  public static Csr parse(String untrustedPem) {
    var all = Pem.readAll(untrustedPem);
    if (all.size() != 1 || !(all.get(0) instanceof PKCS10CertificationRequest raw)) {
      throw QairException.badRequest("expected one PEM certificate signing request");
    }
    try {
      JcaPKCS10CertificationRequest req = new JcaPKCS10CertificationRequest(raw);
      PublicKey key = req.getPublicKey();
      EcCurve.of(key);
      if (!req.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw QairException.badRequest("the CSR's signature does not verify: refusing it");
      }
      return new Csr(req, key);
    } catch (QairException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw QairException.badRequest("the CSR's key is not EC P-256 or P-384");
    } catch (PKCSException | OperatorCreationException | java.security.GeneralSecurityException e) {
      throw QairException.badRequest("invalid CSR: " + e.getMessage());
    } catch (RuntimeException e) {
      throw QairException.badRequest("invalid CSR");
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The subject the requester asked for (the CA decides what it actually issues). */
  public X500Name subject() {
    return request.getSubject();
  }

  public String pem() {
    return Pem.write((Object) request);
  }
}
