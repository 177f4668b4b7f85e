package io.qair.cloud.bootstrap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Idempotency keys derived from what a step is for (zone, master, step, attempt), so a master that
 * repeats a step after a crash sends the same key and the cloud answers with what it made the
 * first time.
 */
public final class IdempotencyKeys {
  private IdempotencyKeys() {}

  /** 64 hex characters (EC2 {@code ClientToken} allows 64 ASCII characters). */
  public static String hex(String... parts) {
    return HexFormat.of().formatHex(digest(parts));
  }

  /** A name-based UUID (GCE {@code requestId} must be a UUID). */
  public static UUID uuid(String... parts) {
    return UUID.nameUUIDFromBytes(digest(parts));
  }

  /** 8 hex characters, to make resource names unique per master. */
  public static String shortHash(String s) {
    return hex(s).substring(0, 8);
  }

  private static byte[] digest(String... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        md.update(p.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
