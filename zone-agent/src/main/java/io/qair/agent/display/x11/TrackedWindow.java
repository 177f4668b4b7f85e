package io.qair.agent.display.x11;

/** What the manager knows about one window. Event thread only. */
final class TrackedWindow {
  enum State {
    /** Wants to be mapped, but there is no room on the screen. */
    PENDING,
    /** Placed and MapWindow sent; not visible yet. */
    PLACED,
    /** Visible and reported. */
    MAPPED
  }

  final int id;
  final boolean popup;
  State state = State.PENDING;
  int x;
  int y;
  int width;
  int height;
  /** The size the client asked for. */
  int wantWidth;
  int wantHeight;
  String title = "";
  int transientFor;
  boolean deleteWindow;
  boolean takeFocus;
  boolean acceptsInput = true;

  TrackedWindow(int id, boolean popup) {
    this.id = id;
    this.popup = popup;
  }

  /** Sets the outer geometry; true if it changed. */
  boolean setGeometry(int x, int y, int width, int height) {
    boolean changed = this.x != x || this.y != y || this.width != width || this.height != height;
    this.x = x;
    this.y = y;
    this.width = width;
    this.height = height;
    return changed;
  }

  long overlapArea(TrackedWindow o) {
    long w = Math.min(x + width, o.x + o.width) - (long) Math.max(x, o.x);
    long h = Math.min(y + height, o.y + o.height) - (long) Math.max(y, o.y);
    return w > 0 && h > 0 ? w * h : 0;
  }
}
