package io.qair.agent.qrexec;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A qube's CALL frame, parsed: {@code TARGET\0SERVICE[+ARGUMENT]\0}, printable ASCII in the forms
 * the policy accepts. Anything else is refused before the master is asked.
 */
record CallRequest(String target, String service, String argument) {
  private static final Pattern TARGET = Pattern.compile("@?[A-Za-z0-9_.:@-]{0,64}");
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9._+-]{0,64}");

  static Optional<CallRequest> parse(byte[] untrusted) {
    if (untrusted.length < 3 || untrusted.length > 256 || untrusted[untrusted.length - 1] != 0) {
      return Optional.empty();
    }
    String all = new String(untrusted, 0, untrusted.length - 1, StandardCharsets.ISO_8859_1);
    int nul = all.indexOf('\0');
    if (nul < 0 || all.indexOf('\0', nul + 1) >= 0) {
      return Optional.empty();
    }
    String target = all.substring(0, nul);
    String call = all.substring(nul + 1);
    int plus = call.indexOf('+');
    String service = plus < 0 ? call : call.substring(0, plus);
    String argument = plus < 0 ? "" : call.substring(plus + 1);
    if (!TARGET.matcher(target).matches() || !SERVICE.matcher(service).matches()
        || !ARGUMENT.matcher(argument).matches() || service.startsWith(".")) {
      return Optional.empty();
    }
    return Optional.of(new CallRequest(target, service, argument));
  }

  /** {@code SERVICE+ARGUMENT}, or {@code SERVICE} without one. */
  String call() {
    return argument.isEmpty() ? service : service + "+" + argument;
  }
}
