/**
 * An RFB 3.8 client (RFC 6143) for a qube's TigerVNC Xvnc, over the qube's unix socket.
 *
 * <p>The server is hostile: the qube controls it. {@link io.qair.agent.display.rfb.RfbLimits}
 * bounds every size, length and count it may send (framebuffer, rectangles per update, clipboard,
 * cursor, names, handshake time, queued output); every rectangle must lie inside the framebuffer;
 * ZRLE data is inflated only as far as its tiles need, so a zlib bomb ends at its first surplus
 * byte. Any violation closes the connection with an {@link
 * io.qair.agent.display.rfb.RfbProtocolException} that says what was wrong.
 *
 * <p>Supported: security type None, 32-bit true colour, Raw, CopyRect, ZRLE, DesktopSize and
 * Cursor pseudo-encodings, and TigerVNC's Extended Clipboard (UTF-8 text). Threads: one reader
 * (applies updates, calls the {@link io.qair.agent.display.rfb.RfbListener}) and one writer per
 * connection, both daemons named {@code qair-rfb-*}.
 */
package io.qair.agent.display.rfb;
