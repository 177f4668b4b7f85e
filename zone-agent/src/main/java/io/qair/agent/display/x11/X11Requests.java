package io.qair.agent.display.x11;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Encodes the core X11 requests (and the events the manager sends) the window manager uses. */
final class X11Requests {
  static final int CW_OVERRIDE_REDIRECT = 1 << 9;
  static final int CW_EVENT_MASK = 1 << 11;

  static final int CONFIG_X = 1;
  static final int CONFIG_Y = 2;
  static final int CONFIG_WIDTH = 4;
  static final int CONFIG_HEIGHT = 8;
  static final int CONFIG_BORDER_WIDTH = 16;
  static final int CONFIG_STACK_MODE = 64;
  static final int STACK_ABOVE = 0;

  static final int PROP_MODE_REPLACE = 0;
  static final int WINDOW_CLASS_INPUT_OUTPUT = 1;
  static final int WINDOW_CLASS_INPUT_ONLY = 2;
  static final int REVERT_TO_POINTER_ROOT = 1;
  static final int CURRENT_TIME = 0;

  private X11Requests() {}

  static ByteBuffer createWindow(int window, int parent, int x, int y, int width, int height, int windowClass,
      int valueMask, int... values) {
    ByteBuffer b = request(1, 0, 8 + values.length);
    b.putInt(window).putInt(parent).putShort((short) x).putShort((short) y);
    b.putShort((short) width).putShort((short) height).putShort((short) 0).putShort((short) windowClass);
    b.putInt(0).putInt(valueMask);
    return ints(b, values);
  }

  static ByteBuffer changeWindowAttributes(int window, int valueMask, int... values) {
    return ints(request(2, 0, 3 + values.length).putInt(window).putInt(valueMask), values);
  }

  static ByteBuffer getWindowAttributes(int window) {
    return request(3, 0, 2).putInt(window).flip();
  }

  static ByteBuffer destroyWindow(int window) {
    return request(4, 0, 2).putInt(window).flip();
  }

  static ByteBuffer mapWindow(int window) {
    return request(8, 0, 2).putInt(window).flip();
  }

  /** {@code values} in the order of the bits of {@code valueMask}, lowest first. */
  static ByteBuffer configureWindow(int window, int valueMask, int... values) {
    if (Integer.bitCount(valueMask) != values.length) {
      throw new IllegalArgumentException("ConfigureWindow mask and values disagree");
    }
    ByteBuffer b = request(12, 0, 3 + values.length).putInt(window).putShort((short) valueMask).putShort((short) 0);
    return ints(b, values);
  }

  static ByteBuffer getGeometry(int drawable) {
    return request(14, 0, 2).putInt(drawable).flip();
  }

  static ByteBuffer queryTree(int window) {
    return request(15, 0, 2).putInt(window).flip();
  }

  static ByteBuffer internAtom(String name, boolean onlyIfExists) {
    byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = request(16, onlyIfExists ? 1 : 0, 2 + X11Setup.pad4(n.length) / 4);
    b.putShort((short) n.length).putShort((short) 0).put(n);
    return b.position(b.capacity()).flip();
  }

  /** ChangeProperty; {@code data} holds whole units of {@code format} bits, little-endian. */
  static ByteBuffer changeProperty(int mode, int window, int property, int type, int format, byte[] data) {
    int unit = format / 8;
    if (unit != 1 && unit != 2 && unit != 4 || data.length % unit != 0) {
      throw new IllegalArgumentException("bad property format " + format + " for " + data.length + " bytes");
    }
    ByteBuffer b = request(18, mode, 6 + X11Setup.pad4(data.length) / 4);
    b.putInt(window).putInt(property).putInt(type).put((byte) format).put(new byte[3]).putInt(data.length / unit);
    b.put(data);
    return b.position(b.capacity()).flip();
  }

  static ByteBuffer changeProperty32(int window, int property, int type, int... values) {
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      data.putInt(v);
    }
    return changeProperty(PROP_MODE_REPLACE, window, property, type, 32, data.array());
  }

  static ByteBuffer deleteProperty(int window, int property) {
    return request(19, 0, 3).putInt(window).putInt(property).flip();
  }

  /** GetProperty of any type; {@code longLength} caps the answer at that many 4-byte units. */
  static ByteBuffer getProperty(int window, int property, int longLength) {
    return request(20, 0, 6).putInt(window).putInt(property).putInt(0).putInt(0).putInt(longLength).flip();
  }

  static ByteBuffer sendEvent(int destination, int eventMask, ByteBuffer event) {
    if (event.remaining() != 32) {
      throw new IllegalArgumentException("a core event is 32 bytes");
    }
    return request(25, 0, 11).putInt(destination).putInt(eventMask).put(event).flip();
  }

  static ByteBuffer setInputFocus(int revertTo, int window, int time) {
    return request(42, revertTo, 3).putInt(window).putInt(time).flip();
  }

  static ByteBuffer getInputFocus() {
    return request(43, 0, 1).flip();
  }

  static ByteBuffer killClient(int resource) {
    return request(113, 0, 2).putInt(resource).flip();
  }

  /** A ClientMessage event of format 32 (up to five values). */
  static ByteBuffer clientMessage(int window, int type, int... data) {
    if (data.length > 5) {
      throw new IllegalArgumentException("a ClientMessage holds at most five 32-bit values");
    }
    ByteBuffer b = event(X11Event.CLIENT_MESSAGE).put(1, (byte) 32).position(4).putInt(window).putInt(type);
    for (int v : data) {
      b.putInt(v);
    }
    return b.position(32).flip();
  }

  /** The synthetic ConfigureNotify ICCCM asks a manager to send when it did not honour a request. */
  static ByteBuffer configureNotify(int window, int x, int y, int width, int height) {
    ByteBuffer b = event(X11Event.CONFIGURE_NOTIFY).position(4).putInt(window).putInt(window).putInt(0);
    b.putShort((short) x).putShort((short) y).putShort((short) width).putShort((short) height);
    return b.position(32).flip();
  }

  private static ByteBuffer event(int code) {
    return ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).put(0, (byte) code);
  }

  private static ByteBuffer request(int opcode, int data, int words) {
    ByteBuffer b = ByteBuffer.allocate(words * 4).order(ByteOrder.LITTLE_ENDIAN);
    return b.put((byte) opcode).put((byte) data).putShort((short) words);
  }

  private static ByteBuffer ints(ByteBuffer b, int... values) {
    for (int v : values) {
      b.putInt(v);
    }
    return b.flip();
  }
}
