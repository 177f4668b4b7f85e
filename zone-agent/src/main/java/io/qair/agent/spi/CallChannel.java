package io.qair.agent.spi;

import io.qair.protocol.qrexec.Frame;
import java.io.IOException;
import java.util.Optional;

/**
 * The caller's end of a qrexec call: the connection its {@code qrexec-client-vm} opened. Frames in
 * are untrusted (STDIN, bounded by the decoder); frames out are STDOUT, STDERR, ERROR and EXIT.
 */
public interface CallChannel extends AutoCloseable {
  /** The next frame; empty when the caller hung up. Blocks. */
  Optional<Frame> read() throws IOException;

  /** Blocks while the caller does not read (back-pressure). */
  void send(Frame frame) throws IOException;

  @Override
  void close();
}
