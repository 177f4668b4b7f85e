package io.qair.controlplane.zone;

import io.qair.controlplane.store.TokenRedemption;
import io.qair.protocol.QairException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Single-use enrollment tokens: 32 random bytes, base64url. Only the SHA-256 is stored, with the
 * zone and an expiry; redeeming checks all three and burns the token in one transaction.
 */
public final class EnrollmentTokens {
  public static final Duration TTL = Duration.ofMinutes(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EnrollmentLedger ledger;
  private final Clock clock;

  public EnrollmentTokens(EnrollmentLedger ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  /** A new token for {@code zone}; the caller hands it to the cloud adapter and forgets it. Blocks. */
  public String issue(String zone) {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    ledger.insertToken(hash(token), zone, clock.millis() + TTL.toMillis());
    return token;
  }

  /** Burns the token if it is known, for {@code zone}, unexpired and unused; PERMISSION_DENIED otherwise. Blocks. */
  public void redeem(String untrustedToken, String zone) {
    if (untrustedToken == null || untrustedToken.isEmpty() || untrustedToken.length() > 256) {
      throw QairException.denied("enrollment refused: the agent sent no valid token");
    }
    TokenRedemption r = ledger.redeemToken(hash(untrustedToken), zone, clock.millis());
    switch (r) {
      case OK -> { }
      case UNKNOWN -> throw QairException.denied("enrollment refused: unknown token");
      case EXPIRED -> throw QairException.denied("enrollment refused: the token has expired; provision the zone again");
      case USED -> throw QairException.denied("enrollment refused: the token was already used");
      case WRONG_ZONE -> throw QairException.denied("enrollment refused: the token belongs to another zone");
      default -> throw QairException.denied("enrollment refused");
    }
  }

  /** SHA-256 of the token text, lower-case hex. */
  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
