package io.qair.agent.display.x11;

import java.io.IOException;

/**
 * The X server could not be used: refused the connection, went away, stopped answering, or another
 * window manager holds the display. The message says what happened and what to do.
 */
public class X11Exception extends IOException {
  private static final long serialVersionUID = 1L;

  public X11Exception(String message) {
    super(message);
  }

  public X11Exception(String message, Throwable cause) {
    super(message, cause);
  }
}
