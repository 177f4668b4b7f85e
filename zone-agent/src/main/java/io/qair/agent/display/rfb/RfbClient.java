package io.qair.agent.display.rfb;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * An RFB 3.8 client (RFC 6143) for a qube's TigerVNC Xvnc. The server is hostile: everything it
 * sends is bounded by {@link RfbLimits}; a violation closes the connection and reaches {@link
 * RfbListener#onClosed} as an {@link RfbProtocolException}.
 *
 * <p>Sending methods never block: messages are queued for a writer thread (a server that stops
 * reading fails the connection once {@link RfbLimits#maxPendingOutputBytes()} are waiting). After
 * {@link #close()} or a failure they do nothing.
 */
public interface RfbClient extends AutoCloseable {
  /**
   * Connects to the unix socket, does the handshake (security type None only; shared session;
   * 32-bit true colour; CopyRect, ZRLE, Raw, DesktopSize, Cursor, ExtendedClipboard) and starts
   * the reader thread. Ask for the first picture with {@link #requestUpdate}.
   *
   * @throws RfbProtocolException if the server breaks the handshake or does not finish it within
   *     {@link RfbLimits#handshakeTimeout()}
   */
  static RfbClient connect(Path unixSocket, RfbListener listener, RfbLimits limits) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(unixSocket));
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot connect to the RFB socket " + unixSocket + " (" + e.getMessage()
          + "): is the qube's Xvnc running?", e);
    }
    return ChannelRfbClient.open(channel, listener, limits, unixSocket.toString());
  }

  /** Like {@link #connect} over any blocking byte channel (tests); the client owns it from now on. */
  static RfbClient open(ByteChannel channel, RfbListener listener, RfbLimits limits) throws IOException {
    return ChannelRfbClient.open(channel, listener, limits, "channel");
  }

  /** The desktop name from ServerInit, control characters removed. */
  String name();

  int width();

  int height();

  /** The pixels; read them only inside {@link RfbListener} callbacks. */
  Framebuffer framebuffer();

  /**
   * FramebufferUpdateRequest for the given area, clipped to the framebuffer (nothing is sent
   * if nothing is left).
   */
  void requestUpdate(int x, int y, int w, int h, boolean incremental);

  /** PointerEvent; coordinates are clamped to the framebuffer, {@code buttonMask} bit 0 is button 1. */
  void pointer(int x, int y, int buttonMask);

  /** KeyEvent for an X keysym. */
  void key(int keysym, boolean down);

  /**
   * Puts text into the qube's clipboard: UTF-8 through the extended clipboard when the server
   * announced it (TigerVNC does), else ClientCutText in Latin-1 with other characters as '?'.
   *
   * @throws IllegalArgumentException if the text is longer than {@link RfbLimits#maxCutTextBytes()}
   */
  void cutText(String text);

  /** Closes the connection; the listener's {@code onClosed(null)} follows on the reader thread. */
  @Override
  void close();
}
