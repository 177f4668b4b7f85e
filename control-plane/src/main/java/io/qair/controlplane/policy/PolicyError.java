package io.qair.controlplane.policy;

import java.util.Objects;

/**
 * One error in a policy: the file (relative to the policy directory), the line (1-based; 0 when the
 * error is about the file as a whole) and what is wrong.
 */
public record PolicyError(String file, int line, String message) {
  public PolicyError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code FILE:LINE: why}. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }
}
