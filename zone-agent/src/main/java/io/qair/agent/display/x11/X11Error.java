package io.qair.agent.display.x11;

import java.nio.ByteBuffer;

/** An X error for a request that expected no reply. {@code sequence} is the request's full number. */
record X11Error(int code, int sequence, int badValue, int majorOpcode, int minorOpcode) {
  static final int BAD_WINDOW = 3;
  static final int BAD_ACCESS = 10;

  static X11Error decode(ByteBuffer m, int sequence) {
    return new X11Error(Byte.toUnsignedInt(m.get(1)), sequence, m.getInt(4), Byte.toUnsignedInt(m.get(10)),
        Short.toUnsignedInt(m.getShort(8)));
  }
}
