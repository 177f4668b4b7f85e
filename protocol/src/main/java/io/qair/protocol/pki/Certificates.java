package io.qair.protocol.pki;

import io.qair.protocol.QairException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/** Small facts about certificates: fingerprint, serial, common name, key equality, issuance. */
public final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** CN of the master's own certificates (Admin API server, client to agents). */
  public static final String MASTER_CN = "qair-master";
  /** CN of the remote-desktop gateway's client certificate. */
  public static final String GATEWAY_CN = "qair-gateway";
  /**
   * Names starting with this are qair's own parties, never a zone: agents accept clients only with
   * these CNs, and the master issues no zone certificate under this prefix.
   */
  public static final String RESERVED_PREFIX = "qair-";

  private Certificates() {}

  /** SHA-256 of the DER encoding, as 64 lower-case hex digits. */
  public static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Compares a certificate's fingerprint with one a user or provisioner gave: case, ':' and
   * an optional {@code sha256:} prefix are ignored; comparison is constant-time.
   */
  public static boolean fingerprintMatches(X509Certificate cert, String untrustedFingerprint) {
    if (untrustedFingerprint == null) {
      return false;
    }
    String given = untrustedFingerprint.trim().toLowerCase(Locale.ROOT);
    if (given.startsWith("sha256:")) {
      given = given.substring(7);
    }
    given = given.replace(":", "");
    return MessageDigest.isEqual(given.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        fingerprint(cert).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** The serial number as lower-case hex: the form stored in {@code zones.cert_serial}. */
  public static String serial(X509Certificate cert) {
    return cert.getSerialNumber().toString(16);
  }

  /** The subject's CN, or null. */
  public static String commonName(X509Certificate cert) {
    try {
      X500Name subject = new JcaX509CertificateHolder(cert).getSubject();
      RDN[] cns = subject.getRDNs(BCStyle.CN);
      return cns.length == 0 ? null : IETFUtils.valueToString(cns[0].getFirst().getValue());
    } catch (CertificateEncodingException e) {
      return null;
    }
  }

  /** True when both keys are the same public key (same algorithm and encoding). */
  public static boolean sameKey(PublicKey a, PublicKey b) {
    return a != null && b != null && a.getAlgorithm().equals(b.getAlgorithm())
        && Arrays.equals(a.getEncoded(), b.getEncoded());
  }

  /**
   * True when a SAN of {@code cert} names {@code host}: a DNS name equal to it (case aside), or an
   * IP address equal to it when it is an address literal.
   */
  public static boolean namesHost(X509Certificate cert, String host) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans == null) {
        return false;
      }
      for (List<?> san : sans) {
        Object type = san.get(0);
        String value = String.valueOf(san.get(1));
        if (Integer.valueOf(2).equals(type) && value.equalsIgnoreCase(host)) {
          return true;
        }
        if (Integer.valueOf(7).equals(type) && sameAddress(value, host)) {
          return true;
        }
      }
      return false;
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  private static boolean sameAddress(String a, String b) {
    if (!isAddressLiteral(a) || !isAddressLiteral(b)) {
      return false;
    }
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isAddressLiteral(String s) {
    return s.contains(":") || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /** True when {@code cert} is signed by {@code issuer}'s key and valid now. */
  public static boolean isIssuedBy(X509Certificate cert, X509Certificate issuer) {
    try {
      if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
        return false;
      }
      cert.verify(issuer.getPublicKey());
      cert.checkValidity();
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Throws BAD_REQUEST unless {@code cert} is a valid leaf from {@code ca}. */
  public static void requireIssuedBy(X509Certificate cert, X509Certificate ca) {
    if (!isIssuedBy(cert, ca)) {
      throw QairException.badRequest("the certificate is not issued by the expected CA, or has expired");
    }
  }

  /** A self-signed leaf for {@code keys}: what an agent serves before it is enrolled. */
  public static X509Certificate selfSigned(java.security.KeyPair keys, String cn, java.time.Duration validity) {
    return CertificateAuthority.selfSign(keys, x500(cn), randomSerial(), Instant.now().minusSeconds(300),
        validity, false);
  }

  static BigInteger randomSerial() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    b[0] &= 0x7f;
    if (b[0] == 0) {
      b[0] = 1;
    }
    return new BigInteger(1, b);
  }

  static X500Name x500(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }
}
