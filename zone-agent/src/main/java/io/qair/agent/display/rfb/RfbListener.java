package io.qair.agent.display.rfb;

import java.util.List;

/**
 * What an {@link RfbClient} reports. Every method runs on the client's reader thread, one at a
 * time; the framebuffer does not change while one runs. A method that throws closes the client.
 */
public interface RfbListener {
  /**
   * First of all callbacks, before the client's reader handles any message: the place to keep
   * {@code client} (and its framebuffer), since updates may arrive before {@code connect} returns.
   */
  default void onOpen(RfbClient client) {}

  /**
   * One whole FramebufferUpdate has been applied to the framebuffer; {@code changes} in server
   * order. The framebuffer is stable until this returns.
   */
  void onUpdate(List<RfbChange> changes);

  /**
   * The desktop changed size (DesktopSize). The framebuffer has been reallocated and is black
   * until the server redraws it; changes reported earlier in the same update are dropped.
   */
  default void onResize(int width, int height) {}

  /**
   * The pointer shape: {@code argb} holds width*height pixels, row-major, alpha 0 where the
   * server's mask hides the pixel. An empty image hides the pointer.
   */
  default void onCursor(int hotX, int hotY, int width, int height, int[] argb) {}

  /** The qube's clipboard changed (at most {@link RfbLimits#maxCutTextBytes()}); newlines are LF. */
  default void onServerCutText(String text) {}

  /**
   * The connection ended: {@code null} after {@link RfbClient#close()}, else why (an {@link
   * RfbProtocolException} when the server broke the protocol, an {@link java.io.EOFException}
   * when it closed the connection). Called exactly once for a client that was opened.
   */
  default void onClosed(Throwable causeOrNull) {}
}
