package io.qair.agent.display.rfb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads server-to-client messages (RFC 6143 7.6) until the stream ends, applies framebuffer
 * updates and reports them. Every rectangle must lie inside the framebuffer and every length is
 * checked against {@link RfbLimits} before anything is read or allocated.
 */
final class ServerMessageReader implements AutoCloseable {
  private static final int FRAMEBUFFER_UPDATE = 0;
  private static final int SET_COLOUR_MAP_ENTRIES = 1;
  private static final int BELL = 2;
  private static final int SERVER_CUT_TEXT = 3;

  private final RfbInput in;
  private final Framebuffer fb;
  private final RfbLimits limits;
  private final RfbListener listener;
  private final ExtendedClipboard clipboard;
  private final PixelFormat format = PixelFormat.ARGB32;
  private final ZrleDecoder zrle = new ZrleDecoder(format);
  private final Map<Integer, LongAdder> rectsByEncoding = new ConcurrentHashMap<>();
  private byte[] row = new byte[0];
  private int[] argbRow = new int[0];

  ServerMessageReader(RfbInput in, Framebuffer fb, RfbLimits limits, RfbListener listener, ExtendedClipboard clipboard) {
    this.in = in;
    this.fb = fb;
    this.limits = limits;
    this.listener = listener;
    this.clipboard = clipboard;
  }

  /** Reads and handles messages until the server closes the connection between two of them. */
  void run() throws IOException {
    for (int type = in.messageType(); type >= 0; type = in.messageType()) {
      switch (type) {
        case FRAMEBUFFER_UPDATE -> update();
        case SET_COLOUR_MAP_ENTRIES -> colourMap();
        case BELL -> { }
        case SERVER_CUT_TEXT -> cutText();
        default -> throw new RfbProtocolException("unknown server message type " + type
            + " (at byte " + (in.offset() - 1) + ")");
      }
    }
  }

  /** Rectangles decoded so far with this encoding (for tests and diagnostics). */
  long rects(int encoding) {
    LongAdder n = rectsByEncoding.get(encoding);
    return n == null ? 0 : n.sum();
  }

  private void update() throws IOException {
    in.u8();
    int count = in.u16();
    if (count > limits.maxRectsPerUpdate()) {
      throw new RfbProtocolException("FramebufferUpdate with " + count + " rectangles, more than "
          + limits.maxRectsPerUpdate());
    }
    List<RfbChange> changes = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      Rect r = new Rect(in.u16(), in.u16(), in.u16(), in.u16());
      int encoding = in.s32();
      switch (encoding) {
        case ClientMessages.RAW -> {
          inside(r, "Raw");
          raw(r);
          changes.add(new RfbChange.Pixels(r));
        }
        case ClientMessages.COPY_RECT -> {
          inside(r, "CopyRect");
          Rect src = new Rect(in.u16(), in.u16(), r.width(), r.height());
          inside(src, "CopyRect source");
          fb.copy(src.x(), src.y(), r);
          changes.add(new RfbChange.Copy(r, src.x(), src.y()));
        }
        case ClientMessages.ZRLE -> {
          inside(r, "ZRLE");
          zrle.decode(in, r, fb);
          changes.add(new RfbChange.Pixels(r));
        }
        case ClientMessages.DESKTOP_SIZE -> {
          limits.checkDesktopSize("DesktopSize", r.width(), r.height());
          fb.resize(r.width(), r.height());
          changes.clear();
          listener.onResize(r.width(), r.height());
        }
        case ClientMessages.CURSOR -> cursor(r);
        default -> throw new RfbProtocolException("rectangle " + r + " in encoding " + encoding
            + ", which the client did not ask for");
      }
      rectsByEncoding.computeIfAbsent(encoding, e -> new LongAdder()).increment();
    }
    listener.onUpdate(Collections.unmodifiableList(changes));
  }

  private void inside(Rect r, String what) throws RfbProtocolException {
    if (!fb.bounds().contains(r)) {
      throw new RfbProtocolException(what + " rectangle " + r + " lies outside the " + fb.width() + "x"
          + fb.height() + " framebuffer");
    }
  }

  private void raw(Rect r) throws IOException {
    int bpp = format.bytesPerPixel();
    ensureRow(r.width());
    for (int y = 0; y < r.height(); y++) {
      in.readFully(row, 0, r.width() * bpp);
      for (int x = 0; x < r.width(); x++) {
        argbRow[x] = format.toArgb(format.assemble(row, x * bpp, bpp));
      }
      fb.putRow(r.x(), r.y() + y, r.width(), argbRow);
    }
  }

  private void cursor(Rect r) throws IOException {
    int w = r.width();
    int h = r.height();
    if (w > limits.maxCursorSize() || h > limits.maxCursorSize()) {
      throw new RfbProtocolException("cursor of " + w + "x" + h + ", larger than " + limits.maxCursorSize()
          + "x" + limits.maxCursorSize());
    }
    if (w == 0 || h == 0) {
      listener.onCursor(0, 0, 0, 0, new int[0]);
      return;
    }
    if (r.x() >= w || r.y() >= h) {
      throw new RfbProtocolException("cursor hotspot " + r.x() + "," + r.y() + " lies outside its " + w + "x" + h
          + " image");
    }
    int bpp = format.bytesPerPixel();
    byte[] data = in.bytes(w * h * bpp);
    int maskStride = (w + 7) / 8;
    byte[] mask = in.bytes(maskStride * h);
    int[] argb = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean shown = (mask[y * maskStride + x / 8] & (0x80 >> (x % 8))) != 0;
        int i = y * w + x;
        argb[i] = shown ? format.toArgb(format.assemble(data, i * bpp, bpp)) : 0;
      }
    }
    listener.onCursor(r.x(), r.y(), w, h, argb);
  }

  private void colourMap() throws IOException {
    in.u8();
    in.u16();
    int count = in.u16();
    in.skip(6L * count); // true colour was asked for: a colour map means nothing to us
  }

  private void cutText() throws IOException {
    in.skip(3);
    long length = in.u32();
    if ((length & 0x8000_0000L) != 0) {
      clipboard.read(in, 0x1_0000_0000L - length).ifPresent(listener::onServerCutText);
      return;
    }
    if (length > limits.maxCutTextBytes()) {
      throw new RfbProtocolException("ServerCutText of " + length + " bytes, more than "
          + limits.maxCutTextBytes());
    }
    String text = new String(in.bytes((int) length), StandardCharsets.ISO_8859_1);
    listener.onServerCutText(ExtendedClipboard.lf(text));
  }

  private void ensureRow(int width) {
    if (argbRow.length < width) {
      argbRow = new int[width];
      row = new byte[width * format.bytesPerPixel()];
    }
  }

  @Override
  public void close() {
    zrle.close();
  }
}
