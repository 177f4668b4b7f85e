package io.qair.agent.spi;

/**
 * Receives the qrexec calls qubes make. {@code source} is the qube the call came from, known by the
 * channel it came on (never by what the qube says); {@code untrustedRequest} is the CALL frame's
 * payload as the qube sent it. Runs on a thread of its own and may block for the whole call.
 */
@FunctionalInterface
public interface CallListener {
  void onCall(String source, byte[] untrustedRequest, CallChannel channel);
}
