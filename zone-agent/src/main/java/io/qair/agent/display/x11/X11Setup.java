package io.qair.agent.display.x11;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What the X server said at connection setup, reduced to what the window manager needs: the first
 * screen's root window and size, and the range of resource ids this client may allocate.
 *
 * <p>{@link #request} encodes the client's opening (little-endian, protocol 11.0, optional
 * MIT-MAGIC-COOKIE-1); {@link #headerLength} and {@link #parse} check the server's answer, which is
 * untrusted: every count and length is checked against the bytes that actually came.
 */
public record X11Setup(
    int root, int width, int height, int rootDepth, int rootVisual, int resourceIdBase,
    int resourceIdMask, int maxRequestBytes, String vendor) {

  static final String COOKIE_AUTH = "MIT-MAGIC-COOKIE-1";
  /** The setup answer's fixed part; its bytes 6..7 hold the rest's length in 4-byte units. */
  static final int HEADER_BYTES = 8;
  private static final int STATUS_FAILED = 0;
  private static final int STATUS_SUCCESS = 1;
  private static final int STATUS_AUTHENTICATE = 2;
  private static final int MAX_SCREEN_SIDE = 32767;

  /** The client's opening bytes. */
  static ByteBuffer request(byte[] cookieOrNull) {
    byte[] name = cookieOrNull == null ? new byte[0] : COOKIE_AUTH.getBytes(StandardCharsets.US_ASCII);
    byte[] data = cookieOrNull == null ? new byte[0] : cookieOrNull;
    if (data.length > 0xffff) {
      throw new IllegalArgumentException("an X11 cookie is at most 65535 bytes, got " + data.length);
    }
    ByteBuffer b = ByteBuffer.allocate(12 + pad4(name.length) + pad4(data.length)).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'l').put((byte) 0).putShort((short) 11).putShort((short) 0);
    b.putShort((short) name.length).putShort((short) data.length).putShort((short) 0);
    b.put(name).position(12 + pad4(name.length)).put(data).position(b.capacity());
    return b.flip();
  }

  /** How many bytes follow the 8-byte header (at most 262,140: the field is 16 bits of words). */
  static int bodyLength(ByteBuffer header) {
    return Short.toUnsignedInt(header.order(ByteOrder.LITTLE_ENDIAN).getShort(6)) * 4;
  }

  /**
   * Parses the server's whole answer (header + body).
   *
   * @throws X11Exception if the server refused the connection (with its reason)
   * @throws X11ProtocolException if the answer is malformed
   */
  static X11Setup parse(ByteBuffer header, ByteBuffer body) throws X11Exception {
    header.order(ByteOrder.LITTLE_ENDIAN);
    body.order(ByteOrder.LITTLE_ENDIAN);
    int status = Byte.toUnsignedInt(header.get(0));
    if (status == STATUS_FAILED || status == STATUS_AUTHENTICATE) {
      int reasonLength = status == STATUS_FAILED ? Byte.toUnsignedInt(header.get(1)) : body.limit();
      if (reasonLength > body.limit()) {
        throw new X11ProtocolException("the refusal's reason (" + reasonLength + " bytes) is longer than its message");
      }
      byte[] reason = new byte[reasonLength];
      body.get(0, reason);
      throw new X11Exception("the X server refused the connection: \"" + printable(reason)
          + "\"; give the agent the cookie from Xvnc's -auth file (or start Xvnc without -auth)");
    }
    if (status != STATUS_SUCCESS) {
      throw new X11ProtocolException("unknown connection setup status " + status);
    }
    int major = Short.toUnsignedInt(header.getShort(2));
    if (major != 11) {
      throw new X11ProtocolException("the server speaks X protocol " + major + ", not 11");
    }
    need(body, 32, "the setup's fixed part");
    int idBase = body.getInt(4);
    int idMask = body.getInt(8);
    int vendorLength = Short.toUnsignedInt(body.getShort(16));
    int maxRequestWords = Short.toUnsignedInt(body.getShort(18));
    int screens = Byte.toUnsignedInt(body.get(20));
    int formats = Byte.toUnsignedInt(body.get(21));
    if (Integer.bitCount(idMask) < 8 || (idBase & idMask) != 0) {
      throw new X11ProtocolException("unusable resource id base/mask " + Integer.toHexString(idBase) + "/" + Integer.toHexString(idMask));
    }
    if (screens < 1) {
      throw new X11ProtocolException("the server has no screen");
    }
    if (maxRequestWords < 1024) {
      throw new X11ProtocolException("maximum request length " + maxRequestWords * 4 + " bytes is below the protocol's 4096");
    }
    int screen = 32 + pad4(vendorLength) + 8 * formats;
    need(body, screen + 40, "the first screen");
    byte[] vendor = new byte[vendorLength];
    body.get(32, vendor);
    int root = body.getInt(screen);
    int width = Short.toUnsignedInt(body.getShort(screen + 20));
    int height = Short.toUnsignedInt(body.getShort(screen + 22));
    if (root == 0 || width < 1 || height < 1 || width > MAX_SCREEN_SIDE || height > MAX_SCREEN_SIDE) {
      throw new X11ProtocolException("unusable root window 0x" + Integer.toHexString(root) + " of " + width + "x" + height);
    }
    return new X11Setup(root, width, height, Byte.toUnsignedInt(body.get(screen + 38)), body.getInt(screen + 32),
        idBase, idMask, maxRequestWords * 4, printable(vendor));
  }

  private static void need(ByteBuffer body, int bytes, String what) throws X11ProtocolException {
    if (body.limit() < bytes) {
      throw new X11ProtocolException(what + " needs " + bytes + " bytes, the setup has " + body.limit());
    }
  }

  /** A server string for a log or a message: ASCII printable only, at most 200 characters. */
  static String printable(byte[] raw) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < raw.length && s.length() < 200; i++) {
      int c = raw[i] & 0xff;
      if (c == 0) {
        continue; // padding
      }
      s.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
    }
    return s.toString().strip();
  }

  static int pad4(int n) {
    return (n + 3) & ~3;
  }
}
