package io.qair.agent.display.x11;

/**
 * What the window manager reports. Every call comes from the manager's event thread and must be
 * cheap: hand the work to another thread or event loop.
 */
public interface WindowListener {
  /** The window became visible (first time since it was mapped). */
  void onMapped(XWindow w);

  /** Geometry, title, kind or parent changed while the window is mapped. */
  void onChanged(XWindow w);

  /** The window was unmapped or destroyed. */
  void onUnmapped(int window);

  /** The manager stopped: {@code causeOrNull} is null after {@link WindowManager#close()}. */
  default void onClosed(Throwable causeOrNull) {}
}
