package io.qair.agent.display.rfb;

import java.nio.ByteBuffer;

/**
 * An RFB PIXEL_FORMAT (RFC 6143 7.4). The client always asks for {@link #ARGB32}: 32 bits per
 * pixel, depth 24, little-endian, true colour, 8 bits per channel at shifts 16/8/0; so a pixel on
 * the wire is B,G,R,X and a ZRLE CPIXEL is B,G,R.
 */
record PixelFormat(
    int bitsPerPixel,
    int depth,
    boolean bigEndian,
    boolean trueColour,
    int redMax,
    int greenMax,
    int blueMax,
    int redShift,
    int greenShift,
    int blueShift) {

  static final PixelFormat ARGB32 = new PixelFormat(32, 24, false, true, 255, 255, 255, 16, 8, 0);

  static PixelFormat read(ByteBuffer b) {
    PixelFormat f = new PixelFormat(b.get() & 0xFF, b.get() & 0xFF, b.get() != 0, b.get() != 0,
        b.getShort() & 0xFFFF, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF,
        b.get() & 0xFF, b.get() & 0xFF, b.get() & 0xFF);
    b.position(b.position() + 3);
    return f;
  }

  void write(ByteBuffer b) {
    b.put((byte) bitsPerPixel).put((byte) depth).put((byte) (bigEndian ? 1 : 0)).put((byte) (trueColour ? 1 : 0));
    b.putShort((short) redMax).putShort((short) greenMax).putShort((short) blueMax);
    b.put((byte) redShift).put((byte) greenShift).put((byte) blueShift).put(new byte[3]);
  }

  int bytesPerPixel() {
    return bitsPerPixel / 8;
  }

  /**
   * RFC 6143 7.7.6: a CPIXEL is 3 bytes when true colour, 32 bits per pixel, depth 24 or less and
   * every colour bit lies in the least significant 3 bytes or in the most significant 3 bytes;
   * otherwise it is a whole pixel.
   */
  int bytesPerCpixel() {
    return trueColour && bitsPerPixel == 32 && depth <= 24 && (fitsLow() || fitsHigh()) ? 3 : bytesPerPixel();
  }

  /** Left shift that puts a 3-byte CPIXEL's value where the pixel's colour bits are. */
  int cpixelShift() {
    return fitsLow() ? 0 : 8;
  }

  private boolean fitsLow() {
    return ((long) redMax << redShift | (long) greenMax << greenShift | (long) blueMax << blueShift) < (1L << 24);
  }

  private boolean fitsHigh() {
    return redShift >= 8 && greenShift >= 8 && blueShift >= 8
        && ((long) redMax << redShift | (long) greenMax << greenShift | (long) blueMax << blueShift) < (1L << 32);
  }

  /** Assembles {@code n} wire bytes in this format's byte order. */
  int assemble(byte[] b, int off, int n) {
    int v = 0;
    if (bigEndian) {
      for (int i = 0; i < n; i++) {
        v = v << 8 | (b[off + i] & 0xFF);
      }
    } else {
      for (int i = n - 1; i >= 0; i--) {
        v = v << 8 | (b[off + i] & 0xFF);
      }
    }
    return v;
  }

  /** An opaque 0xFFRRGGBB for a pixel value in this format. */
  int toArgb(int pixel) {
    return 0xFF000000 | channel(pixel, redShift, redMax) << 16 | channel(pixel, greenShift, greenMax) << 8
        | channel(pixel, blueShift, blueMax);
  }

  private static int channel(int pixel, int shift, int max) {
    if (max == 0) {
      return 0;
    }
    int v = (pixel >>> shift) & max;
    return max == 255 ? v : (v * 255 + max / 2) / max;
  }
}
