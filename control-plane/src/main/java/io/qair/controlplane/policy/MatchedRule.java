package io.qair.controlplane.policy;

import java.util.Objects;

/**
 * Where a rule came from: the file (relative to the policy directory), the line number (1-based)
 * and the line's text, trimmed.
 */
public record MatchedRule(String file, int line, String text) {
  public MatchedRule {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
  }

  /** {@code FILE:LINE}, as in error messages. */
  public String location() {
    return file + ":" + line;
  }
}
