package io.qair.agent.display.x11;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The core events the window manager acts on, decoded from their 32 wire bytes. Coordinates are
 * INT16 and sizes CARD16, as on the wire; {@code synthetic} says a client sent the event with
 * SendEvent (the server cannot vouch for it).
 */
sealed interface X11Event {
  int CREATE_NOTIFY = 16;
  int DESTROY_NOTIFY = 17;
  int UNMAP_NOTIFY = 18;
  int MAP_NOTIFY = 19;
  int MAP_REQUEST = 20;
  int CONFIGURE_NOTIFY = 22;
  int CONFIGURE_REQUEST = 23;
  int PROPERTY_NOTIFY = 28;
  int CLIENT_MESSAGE = 33;
  int GENERIC_EVENT = 35;

  boolean synthetic();

  record MapRequest(boolean synthetic, int parent, int window) implements X11Event {}

  record ConfigureRequest(boolean synthetic, int parent, int window, int x, int y, int width, int height,
      int borderWidth, int valueMask) implements X11Event {}

  record MapNotify(boolean synthetic, int event, int window, boolean overrideRedirect) implements X11Event {}

  record UnmapNotify(boolean synthetic, int event, int window) implements X11Event {}

  record DestroyNotify(boolean synthetic, int event, int window) implements X11Event {}

  record ConfigureNotify(boolean synthetic, int event, int window, int x, int y, int width, int height,
      int borderWidth, boolean overrideRedirect) implements X11Event {}

  record PropertyNotify(boolean synthetic, int window, int atom, int time, boolean deleted) implements X11Event {}

  record ClientMessage(boolean synthetic, int format, int window, int type) implements X11Event {}

  /** Any other event: the manager ignores it. */
  record Other(boolean synthetic, int code) implements X11Event {}

  /** Decodes one event; {@code m} holds at least its 32 bytes. */
  static X11Event decode(ByteBuffer m) {
    if (m.limit() < 32) {
      throw new IllegalArgumentException("an event is 32 bytes");
    }
    ByteBuffer e = m.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int code = e.get(0) & 0x7f;
    boolean sent = (e.get(0) & 0x80) != 0;
    return switch (code) {
      case MAP_REQUEST -> new MapRequest(sent, e.getInt(4), e.getInt(8));
      case CONFIGURE_REQUEST -> new ConfigureRequest(sent, e.getInt(4), e.getInt(8), e.getShort(16), e.getShort(18),
          u16(e, 20), u16(e, 22), u16(e, 24), u16(e, 26));
      case MAP_NOTIFY -> new MapNotify(sent, e.getInt(4), e.getInt(8), e.get(12) != 0);
      case UNMAP_NOTIFY -> new UnmapNotify(sent, e.getInt(4), e.getInt(8));
      case DESTROY_NOTIFY -> new DestroyNotify(sent, e.getInt(4), e.getInt(8));
      case CONFIGURE_NOTIFY -> new ConfigureNotify(sent, e.getInt(4), e.getInt(8), e.getShort(16), e.getShort(18),
          u16(e, 20), u16(e, 22), u16(e, 24), e.get(26) != 0);
      case PROPERTY_NOTIFY -> new PropertyNotify(sent, e.getInt(4), e.getInt(8), e.getInt(12), e.get(16) != 0);
      case CLIENT_MESSAGE -> new ClientMessage(sent, Byte.toUnsignedInt(e.get(1)), e.getInt(4), e.getInt(8));
      default -> new Other(sent, code);
    };
  }

  private static int u16(ByteBuffer e, int at) {
    return Short.toUnsignedInt(e.getShort(at));
  }
}
