package io.qair.protocol.qrexec;

import io.qair.protocol.agent.ExecRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an allowed call starts its service in the target qube, whichever zone the caller is in: the
 * qube's {@code qubes-rpc-multiplexer SERVICE[+ARG]} (in every qube under {@code /run/qair/bin}),
 * with the environment Qubes gives a service. The zone agent builds it for a call inside its zone,
 * the master for a call from another zone; the values were checked when the call was parsed.
 */
public record ServiceCall(String source, String requestedTarget, String service, String argument) {
  public static final String MULTIPLEXER = "/run/qair/bin/qubes-rpc-multiplexer";

  /** {@code SERVICE+ARGUMENT}, or {@code SERVICE} without one. */
  public String call() {
    return argument == null || argument.isEmpty() ? service : service + "+" + argument;
  }

  /** The exec that runs the service in the target. */
  public ExecRequest exec() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QREXEC_REMOTE_DOMAIN", source);
    env.put("QREXEC_SERVICE_FULL_NAME", call());
    env.put("QREXEC_REQUESTED_TARGET", requestedTarget == null ? "" : requestedTarget);
    if (argument != null && !argument.isEmpty()) {
      env.put("QREXEC_SERVICE_ARGUMENT", argument);
    }
    return new ExecRequest(List.of(MULTIPLEXER, call()), env);
  }
}
