package io.qair.controlplane.qrexec;

import io.qair.protocol.agent.QrexecMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The services the master itself answers when the policy sends a call to {@code dom0}
 * ({@code @adminvm}). They take no input; their output travels in the decision. Only
 * {@code qubes.GetDate} so far: the master's clock, UTC, to the second, as the qube-side service
 * prints it.
 */
final class MasterServices {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+00:00'");

  private MasterServices() {}

  /** The output of the call's service in the master, or empty if the master has no such service. */
  static Optional<byte[]> run(QrexecMessage call) {
    return run(call.service(), Clock.systemUTC());
  }

  static Optional<byte[]> run(String service, Clock clock) {
    if ("qubes.GetDate".equals(service)) {
      String now = DATE.format(clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
      return Optional.of((now + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    return Optional.empty();
  }
}
