package io.qair.agent.display.rfb;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what an RFB server (a hostile qube) may make the client read, allocate or wait for.
 * Anything beyond them closes the connection with an {@link RfbProtocolException}.
 *
 * @param maxWidth widest framebuffer accepted (at most 65535, the protocol's own bound)
 * @param maxHeight tallest framebuffer accepted (at most 65535)
 * @param maxPixels largest framebuffer area: 4 bytes of heap per pixel
 * @param maxRectsPerUpdate rectangles (pseudo-encodings included) in one FramebufferUpdate
 * @param maxCutTextBytes clipboard text either way, in bytes as sent (Latin-1 or UTF-8)
 * @param maxCursorSize widest and tallest pointer image
 * @param maxNameBytes desktop name and failure reasons from the server
 * @param handshakeTimeout from connecting to the end of ServerInit
 * @param maxPendingOutputBytes client messages queued while the server does not read them
 */
public record RfbLimits(
    int maxWidth,
    int maxHeight,
    long maxPixels,
    int maxRectsPerUpdate,
    int maxCutTextBytes,
    int maxCursorSize,
    int maxNameBytes,
    Duration handshakeTimeout,
    int maxPendingOutputBytes) {

  public RfbLimits {
    positive("maxWidth", maxWidth, 65535);
    positive("maxHeight", maxHeight, 65535);
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be positive: " + maxPixels);
    }
    positive("maxRectsPerUpdate", maxRectsPerUpdate, 65535);
    positive("maxCutTextBytes", maxCutTextBytes, 64 << 20);
    positive("maxCursorSize", maxCursorSize, 4096);
    positive("maxNameBytes", maxNameBytes, 1 << 20);
    positive("maxPendingOutputBytes", maxPendingOutputBytes, Integer.MAX_VALUE);
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
    }
  }

  /**
   * 8192x8192 at most and 32 Mpx (128 MiB: 8K UHD fits), 16384 rectangles per update, 256 KiB
   * clipboard, 256x256 cursor, 4 KiB names, 10 s handshake, 1 MiB of unsent input.
   */
  public static RfbLimits defaults() {
    return new RfbLimits(8192, 8192, 32L << 20, 16384, 256 << 10, 256, 4096, Duration.ofSeconds(10), 1 << 20);
  }

  public RfbLimits withHandshakeTimeout(Duration timeout) {
    return new RfbLimits(maxWidth, maxHeight, maxPixels, maxRectsPerUpdate, maxCutTextBytes,
        maxCursorSize, maxNameBytes, timeout, maxPendingOutputBytes);
  }

  public RfbLimits withMaxCutTextBytes(int bytes) {
    return new RfbLimits(maxWidth, maxHeight, maxPixels, maxRectsPerUpdate, bytes,
        maxCursorSize, maxNameBytes, handshakeTimeout, maxPendingOutputBytes);
  }

  /** Checks a framebuffer size announced by the server. */
  void checkDesktopSize(String what, int width, int height) throws RfbProtocolException {
    if (width < 1 || height < 1 || width > maxWidth || height > maxHeight
        || (long) width * height > maxPixels) {
      throw new RfbProtocolException(what + " " + width + "x" + height + " is outside the limits (1x1 to "
          + maxWidth + "x" + maxHeight + ", at most " + maxPixels + " pixels)");
    }
  }

  private static void positive(String name, long value, long max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(name + " must be in 1.." + max + ": " + value);
    }
  }
}
