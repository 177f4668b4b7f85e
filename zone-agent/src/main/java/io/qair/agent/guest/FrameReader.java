package io.qair.agent.guest;

import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Blocking reader of qrexec frames from an untrusted stream (a qube's socket). Validation is the
 * protocol module's {@link FrameDecoder}: unknown types and oversized lengths fail at the header,
 * so memory stays bounded by one frame plus what one read returned.
 */
public final class FrameReader {
  private final InputStream in;
  private final FrameDecoder decoder = new FrameDecoder();
  private final ArrayDeque<Frame> ready = new ArrayDeque<>();
  private final byte[] buf = new byte[16 * 1024];

  public FrameReader(InputStream in) {
    this.in = in;
  }

  /**
   * The next frame; empty at a clean end of stream.
   *
   * @throws FrameException if the peer broke the framing or the stream ended inside a frame
   */
  public Optional<Frame> next() throws IOException {
    while (ready.isEmpty()) {
      int n = in.read(buf);
      if (n < 0) {
        if (!decoder.atBoundary()) {
          throw new FrameException("stream ended inside a frame");
        }
        return Optional.empty();
      }
      ready.addAll(decoder.feed(buf, 0, n));
    }
    return Optional.of(ready.poll());
  }
}
