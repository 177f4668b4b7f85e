package io.qair.controlplane.policy;

/** What a policy rule, and a decision, says about a call. */
public enum PolicyAction {
  ALLOW,
  DENY,
  ASK;

  /** The keyword as written in a policy file. */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
