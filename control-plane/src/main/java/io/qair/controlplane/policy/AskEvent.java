package io.qair.controlplane.policy;

/**
 * Something that happened to a pending {@code ask}: it was queued, answered, or it expired. For
 * {@code QUEUED} the outcome is null; otherwise it is the final decision (allow or deny).
 */
public record AskEvent(Type type, PendingAsk ask, Decision outcome) {
  public enum Type { QUEUED, ANSWERED, EXPIRED }
}
