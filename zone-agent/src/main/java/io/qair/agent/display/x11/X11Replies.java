package io.qair.agent.display.x11;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes the replies the window manager reads. A reply is untrusted: each decoder checks that the
 * counts it states fit in the bytes that came (the connection already bounded the total).
 */
final class X11Replies {
  static final int MAP_STATE_VIEWABLE = 2;

  private X11Replies() {}

  record WindowAttributes(int windowClass, int mapState, boolean overrideRedirect) {}

  record Geometry(int x, int y, int width, int height, int borderWidth) {}

  /**
   * A property value. {@code type} 0 means the property does not exist. {@code truncated} says the
   * value was longer than what was asked for.
   */
  record Property(int type, int format, byte[] data, boolean truncated) {
    static final Property ABSENT = new Property(0, 0, new byte[0], false);

    /** The values of a format-32 property, or none if it has another format. */
    int[] ints() {
      if (format != 32) {
        return new int[0];
      }
      int[] out = new int[data.length / 4];
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
      return out;
    }
  }

  static int internAtom(ByteBuffer r) throws X11ProtocolException {
    int atom = r.getInt(8);
    if (atom == 0) {
      throw new X11ProtocolException("InternAtom answered None");
    }
    return atom;
  }

  static WindowAttributes windowAttributes(ByteBuffer r) throws X11ProtocolException {
    need(r, 44, "GetWindowAttributes");
    return new WindowAttributes(Short.toUnsignedInt(r.getShort(12)), Byte.toUnsignedInt(r.get(26)), r.get(27) != 0);
  }

  static Geometry geometry(ByteBuffer r) {
    return new Geometry(r.getShort(12), r.getShort(14), Short.toUnsignedInt(r.getShort(16)),
        Short.toUnsignedInt(r.getShort(18)), Short.toUnsignedInt(r.getShort(20)));
  }

  /** QueryTree's children, bottom-most first. */
  static int[] children(ByteBuffer r) throws X11ProtocolException {
    int count = Short.toUnsignedInt(r.getShort(16));
    need(r, 32 + 4L * count, "QueryTree's " + count + " children");
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = r.getInt(32 + 4 * i);
    }
    return out;
  }

  /** GetProperty's answer to a request for at most {@code longLength} 4-byte units. */
  static Property property(ByteBuffer r, int longLength) throws X11ProtocolException {
    int format = Byte.toUnsignedInt(r.get(1));
    int type = r.getInt(8);
    int bytesAfter = r.getInt(12);
    long units = Integer.toUnsignedLong(r.getInt(16));
    if (type == 0) {
      if (format != 0 || units != 0) {
        throw new X11ProtocolException("GetProperty: no type but format " + format + " and " + units + " units");
      }
      return Property.ABSENT;
    }
    if (format != 8 && format != 16 && format != 32) {
      throw new X11ProtocolException("GetProperty: format " + format + " is not 8, 16 or 32");
    }
    long bytes = units * (format / 8);
    if (bytes > 4L * longLength) {
      throw new X11ProtocolException("GetProperty: " + bytes + " bytes where at most " + 4L * longLength + " were asked for");
    }
    need(r, 32 + bytes, "GetProperty's value");
    byte[] data = new byte[(int) bytes];
    r.get(32, data);
    return new Property(type, format, data, bytesAfter != 0);
  }

  private static void need(ByteBuffer r, long bytes, String what) throws X11ProtocolException {
    if (r.limit() < bytes) {
      throw new X11ProtocolException(what + " needs " + bytes + " bytes, the reply has " + r.limit());
    }
  }
}
