package io.qair.agent.display.rfb;

/** A rectangle in framebuffer coordinates; width and height are never negative. */
public record Rect(int x, int y, int width, int height) {
  public Rect {
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException("negative rectangle size " + width + "x" + height);
    }
  }

  public static Rect of(int x, int y, int width, int height) {
    return new Rect(x, y, width, height);
  }

  /** Right edge, exclusive. */
  public long right() {
    return (long) x + width;
  }

  /** Bottom edge, exclusive. */
  public long bottom() {
    return (long) y + height;
  }

  public long area() {
    return (long) width * height;
  }

  public boolean isEmpty() {
    return width == 0 || height == 0;
  }

  /** The common part, with zero size (at this rectangle's corner) when they do not overlap. */
  public Rect intersect(Rect other) {
    long left = Math.max(x, other.x);
    long top = Math.max(y, other.y);
    long right = Math.min(right(), other.right());
    long bottom = Math.min(bottom(), other.bottom());
    if (right <= left || bottom <= top) {
      return new Rect(x, y, 0, 0);
    }
    return new Rect((int) left, (int) top, (int) (right - left), (int) (bottom - top));
  }

  /** Whether {@code other} lies wholly inside this rectangle (an empty one inside the bounds too). */
  public boolean contains(Rect other) {
    return other.x >= x && other.y >= y && other.right() <= right() && other.bottom() <= bottom();
  }

  public boolean contains(int px, int py) {
    return px >= x && py >= y && px < right() && py < bottom();
  }

  @Override
  public String toString() {
    return width + "x" + height + "+" + x + "+" + y;
  }
}
