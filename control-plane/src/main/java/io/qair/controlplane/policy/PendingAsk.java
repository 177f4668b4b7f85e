package io.qair.controlplane.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * A call waiting for the user to answer an {@code ask}: what was asked ({@code request}), what the
 * policy offers ({@code decision.ask()}), and when it will be denied if nobody answers.
 */
public record PendingAsk(String id, PolicyRequest request, Decision decision, Instant createdAt,
    Instant expiresAt) {
  public PendingAsk {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    if (decision.action() != PolicyAction.ASK) {
      throw new IllegalArgumentException("a pending ask needs an ask decision");
    }
  }
}
