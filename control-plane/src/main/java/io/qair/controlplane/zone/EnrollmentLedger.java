package io.qair.controlplane.zone;

import io.qair.controlplane.store.TokenRedemption;

/**
 * What enrollment and the agent client need from the master's store: enrollment tokens (only
 * their hashes) and revoked certificate serials. Method shapes follow
 * {@link io.qair.controlplane.store.Store}, so an adapter is one line per method.
 */
public interface EnrollmentLedger {
  /** Stores the SHA-256 (hex) of a new token for {@code zone}, valid until {@code expiresAtMillis}. */
  void insertToken(String tokenHash, String zone, long expiresAtMillis);

  /** Checks the token and, only if it is good, burns it, atomically. */
  TokenRedemption redeemToken(String tokenHash, String zone, long nowMillis);

  void revokeCert(String serial, String zone);

  /** Must be a fast indexed lookup: it runs in every TLS handshake with an agent. */
  boolean isRevoked(String serial);
}
