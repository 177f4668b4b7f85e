package io.qair.controlplane.policy;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy that cannot be used: its message lists every error found, one {@code FILE:LINE: why} a
 * line. The policy in force before stays in force.
 */
public final class PolicyException extends QairException {
  private static final long serialVersionUID = 1L;
  private final transient List<PolicyError> errors;

  public PolicyException(List<PolicyError> errors) {
    super(ErrorKind.BAD_REQUEST, render(errors));
    this.errors = List.copyOf(errors);
  }

  /** The errors, in the order they were found (file order, then line order). */
  public List<PolicyError> errors() {
    return errors;
  }

  private static String render(List<PolicyError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a PolicyException needs at least one error");
    }
    return errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n"));
  }
}
