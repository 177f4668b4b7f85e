package io.qair.protocol.pki;

import io.qair.protocol.QairException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * PEM text for certificates, private keys (PKCS#8) and CSRs. Readers take untrusted text and
 * throw BAD_REQUEST for anything that is not what was asked for.
 */
public final class Pem {
  /** Upper bound on PEM text accepted from a peer: a chain of a few certificates. */
  public static final int MAX_LENGTH = 64 * 1024;

  private Pem() {}

  /** PEM of a certificate, a private key (as PKCS#8), a public key or a BouncyCastle object. */
  public static String write(Object object) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      if (object instanceof PrivateKey key) {
        w.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()));
      } else if (object instanceof PrivateKeyInfo info) {
        w.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", info.getEncoded()));
      } else {
        w.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  /** PEM of a chain, leaf first. */
  public static String write(List<X509Certificate> chain) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : chain) {
      sb.append(write((Object) c));
    }
    return sb.toString();
  }

  public static X509Certificate readCertificate(String untrustedPem) {
    List<X509Certificate> all = readCertificates(untrustedPem);
    if (all.size() != 1) {
      throw QairException.badRequest("expected one PEM certificate, found " + all.size());
    }
    return all.get(0);
  }

  public static List<X509Certificate> readCertificates(String untrustedPem) {
    List<X509Certificate> out = new ArrayList<>();
    for (Object o : readAll(untrustedPem)) {
      if (!(o instanceof X509CertificateHolder h)) {
        throw QairException.badRequest("expected PEM certificates only");
      }
      try {
        out.add(new JcaX509CertificateConverter().getCertificate(h));
      } catch (CertificateException e) {
        throw QairException.badRequest("invalid certificate: " + e.getMessage());
      }
    }
    return out;
  }

  public static PrivateKey readPrivateKey(String pem) {
    List<Object> all = readAll(pem);
    if (all.size() != 1) {
      throw QairException.badRequest("expected one PEM private key");
    }
    try {
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      Object o = all.get(0);
      if (o instanceof PrivateKeyInfo info) {
        return conv.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return conv.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw QairException.badRequest("invalid private key: " + e.getMessage());
    }
    throw QairException.badRequest("expected a PEM private key");
  }

  /**
   * PEM (PKCS#8) of an EC key pair, with the public key inside the private key structure so that
   * {@link #readKeyPair} can restore both from one file.
   */
  public static String writeKeyPair(KeyPair pair) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
      org.bouncycastle.asn1.sec.ECPrivateKey ec =
          org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      var pub = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
      int orderBits = ((java.security.interfaces.ECKey) pair.getPrivate()).getParams().getOrder().bitLength();
      var full = new org.bouncycastle.asn1.sec.ECPrivateKey(
          orderBits, ec.getKey(), pub.getPublicKeyData(), null);
      return write(new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), full));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads what {@link #writeKeyPair} wrote (or any EC key that carries its public key). */
  public static KeyPair readKeyPair(String pem) {
    PrivateKey key = readPrivateKey(pem);
    return new KeyPair(publicKeyOf(key), key);
  }

  /** The public key that goes with an EC private key. */
  static java.security.PublicKey publicKeyOf(PrivateKey key) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      org.bouncycastle.asn1.sec.ECPrivateKey ec =
          org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      org.bouncycastle.asn1.ASN1BitString pub = ec.getPublicKey();
      if (pub == null) {
        throw new IllegalArgumentException("private key does not carry its public key");
      }
      var spki = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(info.getPrivateKeyAlgorithm(), pub.getBytes());
      return KeyFactory.getInstance("EC")
          .generatePublic(new java.security.spec.X509EncodedKeySpec(spki.getEncoded()));
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot derive the public key: " + e.getMessage(), e);
    }
  }

  static List<Object> readAll(String untrustedPem) {
    if (untrustedPem == null || untrustedPem.isBlank()) {
      throw QairException.badRequest("empty PEM text");
    }
    if (untrustedPem.length() > MAX_LENGTH) {
      throw QairException.badRequest("PEM text longer than " + MAX_LENGTH + " characters");
    }
    List<Object> out = new ArrayList<>();
    try (PEMParser p = new PEMParser(new StringReader(untrustedPem))) {
      Object o;
      while ((o = p.readObject()) != null) {
        out.add(o);
        if (out.size() > 16) {
          throw QairException.badRequest("too many PEM objects");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof QairException q) {
        throw q;
      }
      throw QairException.badRequest("malformed PEM: " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw QairException.badRequest("no PEM object found");
    }
    return out;
  }
}
