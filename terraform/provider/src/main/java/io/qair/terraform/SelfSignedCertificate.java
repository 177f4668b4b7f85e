package io.qair.terraform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The throw-away certificate of go-plugin's AutoMTLS, written as DER by hand: an EC key, subject
 * and issuer {@code CN=localhost, O=qair terraform provider}, SAN {@code DNS:localhost}, CA:true,
 * key usage digitalSignature, keyEncipherment, keyCertSign, extended key usage serverAuth and
 * clientAuth. The provider starts several times per Terraform command; building this with
 * BouncyCastle cost about half a second of class loading, and BouncyCastle on the classpath made
 * Netty register its whole JCA provider as well.
 */
final class SelfSignedCertificate {
  private static final int[] ECDSA_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
  private static final int[] ECDSA_SHA512 = {1, 2, 840, 10045, 4, 3, 4};

  private SelfSignedCertificate() {}

  /** Valid from {@code notBefore} to {@code notAfter}; {@code signatureAlgorithm} SHA256withECDSA or SHA512withECDSA. */
  static X509Certificate create(KeyPair keys, String signatureAlgorithm, Instant notBefore, Instant notAfter) {
    int[] algorithm = switch (signatureAlgorithm) {
      case "SHA256withECDSA" -> ECDSA_SHA256;
      case "SHA512withECDSA" -> ECDSA_SHA512;
      default -> throw new IllegalArgumentException("unsupported signature algorithm " + signatureAlgorithm);
    };
    try {
      byte[] algorithmId = seq(oid(algorithm));
      byte[] name = seq(set(seq(oid(2, 5, 4, 10), utf8("qair terraform provider"))),
          set(seq(oid(2, 5, 4, 3), utf8("localhost"))));
      byte[] extensions = tagged(0xA3, seq(
          seq(oid(2, 5, 29, 17), octets(seq(tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII))))),
          seq(oid(2, 5, 29, 19), tlv(0x01, new byte[] {(byte) 0xFF}), octets(seq(tlv(0x01, new byte[] {(byte) 0xFF})))),
          // digitalSignature (bit 0), keyEncipherment (2), keyCertSign (5): 0b10100100, 2 unused bits
          seq(oid(2, 5, 29, 15), tlv(0x01, new byte[] {(byte) 0xFF}), octets(tlv(0x03, new byte[] {2, (byte) 0xA4}))),
          seq(oid(2, 5, 29, 37), octets(seq(oid(1, 3, 6, 1, 5, 5, 7, 3, 1), oid(1, 3, 6, 1, 5, 5, 7, 3, 2))))));
      byte[] tbs = seq(tagged(0xA0, tlv(0x02, new byte[] {2})),
          tlv(0x02, new BigInteger(127, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
          algorithmId, name,
          seq(tlv(0x17, utcTime(notBefore)), tlv(0x17, utcTime(notAfter))),
          name, keys.getPublic().getEncoded(), extensions);
      Signature signer = Signature.getInstance(signatureAlgorithm);
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bits = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bits, 1, signature.length);
      byte[] der = seq(tbs, algorithmId, tlv(0x03, bits));
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS certificate: " + e.getMessage(), e);
    }
  }

  /** ASN.1 UTCTime, YYMMDDHHMMSSZ (years 1950 to 2049); by hand: a formatter would load locale data. */
  private static byte[] utcTime(Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    if (d.getYear() < 1950 || d.getYear() > 2049) {
      throw new IllegalArgumentException("UTCTime covers 1950 to 2049, not " + d.getYear());
    }
    int[] fields = {d.getYear() % 100, d.getMonthValue(), d.getDayOfMonth(), d.getHour(), d.getMinute(), d.getSecond()};
    byte[] out = new byte[13];
    for (int i = 0; i < fields.length; i++) {
      out[2 * i] = (byte) ('0' + fields[i] / 10);
      out[2 * i + 1] = (byte) ('0' + fields[i] % 10);
    }
    out[12] = 'Z';
    return out;
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] tagged(int tag, byte[] content) {
    return tlv(tag, content);
  }

  private static byte[] octets(byte[] content) {
    return tlv(0x04, content);
  }

  private static byte[] utf8(String s) {
    return tlv(0x0C, s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] oid(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int v = arcs[i];
      int shift = 28;
      while (shift > 0 && (v >>> shift) == 0) {
        shift -= 7;
      }
      for (; shift > 0; shift -= 7) {
        out.write(0x80 | ((v >>> shift) & 0x7F));
      }
      out.write(v & 0x7F);
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >>> 8);
      out.write(n);
    } else {
      throw new IllegalArgumentException("DER element too long for a certificate: " + n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
