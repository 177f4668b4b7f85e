package io.qair.controlplane.policy;

import java.util.List;

/**
 * A parsed, valid policy: immutable, safe to share between threads. Build one with {@link
 * PolicyParser}; replace it as a whole.
 */
public final class Policy {
  private static final Policy DENY_ALL = new Policy(List.of(), List.of());

  private final List<Rule> rules;
  private final List<String> files;

  Policy(List<Rule> rules, List<String> files) {
    this.rules = List.copyOf(rules);
    this.files = List.copyOf(files);
  }

  /** The policy with no rules: every call is denied. */
  public static Policy denyAll() {
    return DENY_ALL;
  }

  /** Decides one call: the first rule that matches decides; no match denies. */
  public Decision evaluate(PolicyRequest request, SystemInfo system) {
    return new PolicyEvaluator(rules, request, system).evaluate();
  }

  /** How many rules the policy has, over all files. */
  public int ruleCount() {
    return rules.size();
  }

  /** The files read, in the order their rules apply (a file included twice is listed twice). */
  public List<String> files() {
    return files;
  }

  List<Rule> rules() {
    return rules;
  }
}
