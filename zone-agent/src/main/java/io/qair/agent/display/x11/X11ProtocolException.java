package io.qair.agent.display.x11;

/**
 * The X server broke the protocol: a malformed, inconsistent or oversized message. The X server is
 * the qube's, so this is hostile input: the connection is closed, never repaired.
 */
public class X11ProtocolException extends X11Exception {
  private static final long serialVersionUID = 1L;

  public X11ProtocolException(String message) {
    super("X11 protocol error from the qube's X server: " + message);
  }
}
