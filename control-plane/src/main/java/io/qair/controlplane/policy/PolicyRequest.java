package io.qair.controlplane.policy;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.util.regex.Pattern;

/**
 * One qrexec call to decide: {@code service} with {@code argument} (without its {@code +}; empty
 * when the call has none), from qube {@code source} to {@code target} as the caller wrote it (a
 * qube name, {@code @default} or empty, {@code @dispvm}, {@code @dispvm:NAME}, {@code dom0} or
 * {@code @adminvm}). The values come from a qube: only their form is checked here; whether the
 * qubes exist is for the policy to decide.
 */
public record PolicyRequest(String service, String argument, String source, String target) {
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9._+-]{0,64}");
  private static final Pattern QUBE_OR_KEYWORD = Pattern.compile("@?[A-Za-z0-9_.:@-]{0,64}");

  public PolicyRequest {
    if (service == null || !SERVICE.matcher(service).matches()) {
      throw QairException.badRequest("invalid service '" + Names.printable(service)
          + "': use 1-64 letters, digits, '.', '_' or '-'");
    }
    argument = argument == null ? "" : argument;
    if (!ARGUMENT.matcher(argument).matches()) {
      throw QairException.badRequest("invalid service argument '" + Names.printable(argument)
          + "': use up to 64 letters, digits, '.', '_', '-' or '+'");
    }
    if (source == null || !QUBE_OR_KEYWORD.matcher(source).matches() || source.isEmpty()) {
      throw QairException.badRequest("invalid source '" + Names.printable(source) + "'");
    }
    target = target == null ? "" : target;
    if (!QUBE_OR_KEYWORD.matcher(target).matches()) {
      throw QairException.badRequest("invalid target '" + Names.printable(target) + "'");
    }
  }

  /** A request for {@code SERVICE+ARGUMENT} as a caller writes it. */
  public static PolicyRequest ofCall(String untrustedCall, String source, String target) {
    if (untrustedCall == null) {
      throw QairException.badRequest("no service given");
    }
    int plus = untrustedCall.indexOf('+');
    return plus < 0 ? new PolicyRequest(untrustedCall, "", source, target)
        : new PolicyRequest(untrustedCall.substring(0, plus), untrustedCall.substring(plus + 1),
            source, target);
  }

  /** {@code SERVICE+ARGUMENT}, or just {@code SERVICE} without an argument. */
  public String call() {
    return argument.isEmpty() ? service : service + "+" + argument;
  }
}
