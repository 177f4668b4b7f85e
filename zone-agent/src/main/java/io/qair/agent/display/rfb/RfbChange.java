package io.qair.agent.display.rfb;

/** One change of a framebuffer update, in the order the server sent it. */
public sealed interface RfbChange {
  /** The area that was redrawn. */
  Rect area();

  /** New pixels in {@code r} (Raw or ZRLE). */
  record Pixels(Rect r) implements RfbChange {
    @Override
    public Rect area() {
      return r;
    }
  }

  /** {@code dst} was copied from the same-sized rectangle at {@code srcX,srcY} (CopyRect: scrolling, moves). */
  record Copy(Rect dst, int srcX, int srcY) implements RfbChange {
    public Rect src() {
      return new Rect(srcX, srcY, dst.width(), dst.height());
    }

    @Override
    public Rect area() {
      return dst;
    }
  }
}
