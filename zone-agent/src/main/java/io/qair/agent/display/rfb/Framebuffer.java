package io.qair.agent.display.rfb;

import java.util.Arrays;

/**
 * The client's copy of the qube's screen: ARGB pixels ({@code 0xFFRRGGBB}), row-major, {@code
 * stride} ints per row. Only the client's reader thread writes it; read it inside {@link
 * RfbListener} callbacks, where it is stable. A DesktopSize reallocates the pixel array.
 */
public final class Framebuffer {
  private volatile int width;
  private volatile int height;
  private int[] pixels;

  Framebuffer(int width, int height) {
    resize(width, height);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Ints from one row to the next; equal to {@link #width()}. */
  public int stride() {
    return width;
  }

  /** The live pixel array (do not write it, do not keep it past the callback). */
  public int[] pixels() {
    return pixels;
  }

  public Rect bounds() {
    return new Rect(0, 0, width, height);
  }

  public int pixel(int x, int y) {
    if (!bounds().contains(x, y)) {
      throw new IndexOutOfBoundsException("pixel " + x + "," + y + " outside " + width + "x" + height);
    }
    return pixels[y * width + x];
  }

  /** A copy of the pixels inside {@code r} (clipped to the framebuffer), row-major, r's width per row. */
  public int[] copyOf(Rect r) {
    Rect c = r.intersect(bounds());
    int[] out = new int[c.width() * c.height()];
    for (int row = 0; row < c.height(); row++) {
      System.arraycopy(pixels, (c.y() + row) * width + c.x(), out, row * c.width(), c.width());
    }
    return out;
  }

  void resize(int newWidth, int newHeight) {
    pixels = null; // the old array may go before the new one is allocated
    pixels = new int[Math.multiplyExact(newWidth, newHeight)];
    Arrays.fill(pixels, 0xFF000000);
    width = newWidth;
    height = newHeight;
  }

  /** Copies {@code w*h} pixels from {@code src} (row-major, {@code w} per row) to {@code x,y}. */
  void put(int x, int y, int w, int h, int[] src) {
    for (int row = 0; row < h; row++) {
      System.arraycopy(src, row * w, pixels, (y + row) * width + x, w);
    }
  }

  void putRow(int x, int y, int w, int[] src) {
    System.arraycopy(src, 0, pixels, y * width + x, w);
  }

  /** CopyRect: overlapping source and destination are fine. */
  void copy(int srcX, int srcY, Rect dst) {
    int w = dst.width();
    if (dst.y() > srcY) {
      for (int row = dst.height() - 1; row >= 0; row--) {
        System.arraycopy(pixels, (srcY + row) * width + srcX, pixels, (dst.y() + row) * width + dst.x(), w);
      }
    } else {
      for (int row = 0; row < dst.height(); row++) {
        System.arraycopy(pixels, (srcY + row) * width + srcX, pixels, (dst.y() + row) * width + dst.x(), w);
      }
    }
  }
}
