package io.qair.agent.display.rfb;

import java.nio.ByteBuffer;

/** Encodes client-to-server messages (RFC 6143 7.5) as whole byte arrays. */
final class ClientMessages {
  static final int RAW = 0;
  static final int COPY_RECT = 1;
  static final int ZRLE = 16;
  static final int DESKTOP_SIZE = -223;
  static final int CURSOR = -239;
  static final int EXTENDED_CLIPBOARD = 0xC0A1E5CE;

  /** What the client asks for, most preferred first. */
  static final int[] ENCODINGS = {COPY_RECT, ZRLE, RAW, DESKTOP_SIZE, CURSOR, EXTENDED_CLIPBOARD};

  private ClientMessages() {}

  static byte[] setPixelFormat(PixelFormat format) {
    ByteBuffer b = ByteBuffer.allocate(20).put((byte) 0).put(new byte[3]);
    format.write(b);
    return b.array();
  }

  static byte[] setEncodings(int[] encodings) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * encodings.length).put((byte) 2).put((byte) 0)
        .putShort((short) encodings.length);
    for (int e : encodings) {
      b.putInt(e);
    }
    return b.array();
  }

  static byte[] updateRequest(boolean incremental, Rect r) {
    return ByteBuffer.allocate(10).put((byte) 3).put((byte) (incremental ? 1 : 0))
        .putShort((short) r.x()).putShort((short) r.y())
        .putShort((short) r.width()).putShort((short) r.height()).array();
  }

  static byte[] key(int keysym, boolean down) {
    return ByteBuffer.allocate(8).put((byte) 4).put((byte) (down ? 1 : 0)).putShort((short) 0).putInt(keysym).array();
  }

  static byte[] pointer(int buttonMask, int x, int y) {
    return ByteBuffer.allocate(6).put((byte) 5).put((byte) buttonMask).putShort((short) x).putShort((short) y).array();
  }

  /** ClientCutText with Latin-1 text. */
  static byte[] cutText(byte[] latin1) {
    return ByteBuffer.allocate(8 + latin1.length).put((byte) 6).put(new byte[3]).putInt(latin1.length)
        .put(latin1).array();
  }

  /** ClientCutText carrying an extended clipboard payload (negative length). */
  static byte[] extendedCutText(byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length).put((byte) 6).put(new byte[3]).putInt(-payload.length)
        .put(payload).array();
  }
}
