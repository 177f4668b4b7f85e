package io.qair.desktop.auth;

import io.qair.protocol.QairException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password stored as PBKDF2-HMAC-SHA256 ({@code pbkdf2-sha256$ITERATIONS$SALT$HASH}, base64).
 * Verification recomputes with the stored cost and compares in constant time.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
  /** OWASP's figure for PBKDF2-HMAC-SHA256 (2023); never fewer than {@link #MIN_ITERATIONS}. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  public static final int MIN_ITERATIONS = 210_000;
  private static final int MAX_ITERATIONS = 10_000_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  public PasswordHash {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS || salt.length < 16 || hash.length != HASH_BYTES) {
      throw QairException.badRequest("password hash parameters out of range");
    }
    salt = salt.clone();
    hash = hash.clone();
  }

  /** Hashes {@code password} with a new random salt. Slow on purpose: call it off the event loop. */
  public static PasswordHash create(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return new PasswordHash(DEFAULT_ITERATIONS, salt, derive(password, salt, DEFAULT_ITERATIONS));
  }

  /** True when {@code untrustedPassword} is the password. Slow on purpose. */
  public boolean matches(String untrustedPassword) {
    if (untrustedPassword == null) {
      return false;
    }
    return MessageDigest.isEqual(hash, derive(untrustedPassword, salt, iterations));
  }

  public String encode() {
    Base64.Encoder b = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + b.encodeToString(salt) + "$" + b.encodeToString(hash);
  }

  public static PasswordHash parse(String encoded) {
    String[] parts = encoded.strip().split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      throw QairException.badRequest("not a " + PREFIX + " password hash");
    }
    try {
      return new PasswordHash(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]),
          Base64.getDecoder().decode(parts[3]));
    } catch (IllegalArgumentException e) {
      throw QairException.badRequest("malformed password hash: " + e.getMessage());
    }
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
        && Arrays.equals(p.hash, hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return PREFIX + "$" + iterations + "$...";
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    char[] chars = password.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
