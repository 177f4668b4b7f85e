package io.qair.controlplane.policy;

/**
 * One parsed policy line. {@code service} and {@code argument} are {@code null} for {@code *};
 * {@code argument} is without its leading {@code +} ({@code ""}: the call has no argument).
 */
record Rule(String service, String argument, Token source, Token target, Action action,
    MatchedRule origin) {

  /** The action column and its parameters. Tokens and user are {@code null} when not given. */
  record Action(PolicyAction type, Token redirect, Token defaultTarget, String user,
      boolean notifyUser, boolean autostart) {}

  boolean matchesCall(String callService, String callArgument) {
    return (service == null || service.equals(callService))
        && (argument == null || argument.equals(callArgument));
  }
}
