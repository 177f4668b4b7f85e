package io.qair.agent.display.x11;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The window manager of one qube's X display, speaking X11 itself (no native libraries). It places
 * every top-level window on the virtual screen so that none overlap, and reports them, so the
 * display can show each as its own window. See {@code docs/dev/display.md}.
 *
 * <p>Commands are asynchronous (run on the event thread in order) and ignore windows the manager
 * does not manage: a window id from a browser is never trusted to name anything else.
 */
public interface WindowManager extends AutoCloseable {
  /**
   * Connects to the X server at {@code x11Socket} (with the MIT-MAGIC-COOKIE-1 {@code cookieOrNull},
   * or no authentication), becomes its window manager, adopts the windows already mapped (reported
   * to {@code listener} before this returns) and starts the event thread.
   *
   * @throws X11Exception if the server refuses, does not answer in time, breaks the protocol, or
   *     another window manager runs
   */
  static WindowManager start(Path x11Socket, byte[] cookieOrNull, WindowListener listener) throws IOException {
    return X11WindowManager.start(x11Socket, cookieOrNull, listener, X11Connection.DEFAULT_TIMEOUT);
  }

  int screenWidth();

  int screenHeight();

  /** The windows mapped now (managed ones and popups). */
  List<XWindow> windows();

  /** The user resized the window's frame: the X window gets this size (bounded by the screen). */
  void resize(int window, int width, int height);

  /** Input focus to the window (SetInputFocus and/or WM_TAKE_FOCUS), raised. */
  void focus(int window);

  /**
   * Waits until the X server has processed every request queued so far (a round trip), so that
   * input sent to the server by another connection afterwards (RFB key events) sees its effect,
   * e.g. a new input focus. False if that took longer than {@code timeout} or the manager stopped.
   */
  boolean sync(java.time.Duration timeout);

  /** Asks the window to close (WM_DELETE_WINDOW), or kills its client if it does not speak that. */
  void close(int window);

  /** Disconnects; the X server keeps the windows. Idempotent. */
  @Override
  void close();
}
