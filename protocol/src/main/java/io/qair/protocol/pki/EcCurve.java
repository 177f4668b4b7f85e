package io.qair.protocol.pki;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;

/** The elliptic curves qair uses for keys, with the signature algorithm that goes with each. */
public enum EcCurve {
  P256("secp256r1", "SHA256withECDSA"),
  P384("secp384r1", "SHA384withECDSA");

  private final String stdName;
  private final String signatureAlgorithm;

  EcCurve(String stdName, String signatureAlgorithm) {
    this.stdName = stdName;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** A fresh key pair on this curve. */
  public KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(stdName));
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("EC " + stdName + " is not available in this JVM", e);
    }
  }

  /** The curve of an EC key, judged by its field size. */
  static EcCurve of(java.security.Key key) {
    if (key instanceof java.security.interfaces.ECKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits == 256) {
        return P256;
      }
      if (bits == 384) {
        return P384;
      }
    }
    throw new IllegalArgumentException("unsupported key: only EC P-256 and P-384 are used");
  }
}
