package io.qair.controlplane.store;

/** The outcome of {@link Store#redeemToken}. Only {@link #OK} burns the token. */
public enum TokenRedemption {
  OK,
  /** No token with this hash was ever issued. */
  UNKNOWN,
  EXPIRED,
  /** The token was burned by an earlier enrollment. */
  USED,
  /** The token was issued for another zone. */
  WRONG_ZONE
}
