package io.qair.agent.display;

import io.qair.agent.display.guac.FrameBuilder;
import io.qair.agent.display.guac.GuacInstruction;
import io.qair.agent.display.guac.GuacParser;
import io.qair.agent.display.guac.GuacProtocolException;
import io.qair.agent.display.image.ImageEncoder;
import io.qair.agent.display.rfb.Framebuffer;
import io.qair.agent.display.rfb.Rect;
import io.qair.agent.display.rfb.RfbChange;
import io.qair.agent.display.rfb.RfbClient;
import io.qair.agent.display.rfb.RfbListener;
import io.qair.agent.display.x11.WindowListener;
import io.qair.agent.display.x11.XWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer of one qube's display: turns the framebuffer (RFB) and the window list (window
 * manager) into Guacamole instructions, one layer per window, and the viewer's input back into
 * RFB events and window-manager requests. See docs/dev/display.md for the instruction set.
 *
 * <p>Flow control: after a frame ({@code ... sync}) the next RFB update is requested only when the
 * viewer echoes the {@code sync}, so a slow viewer gets fewer, newer frames instead of a queue.
 * Everything that changes state holds {@code this}' monitor; RFB and window-manager callbacks
 * arrive on their own threads.
 */
public final class DisplaySession implements RfbListener, WindowListener {
  private static final Logger LOG = LoggerFactory.getLogger(DisplaySession.class);
  /** Dirty rectangles per window beyond which their bounding box is sent instead. */
  static final int MAX_RECTS_PER_WINDOW = 8;
  public static final int MAX_CLIPBOARD = 256 * 1024;
  static final int MAX_TITLE = 256;
  static final java.time.Duration FOCUS_WAIT = java.time.Duration.ofMillis(500);

  private final QubeDisplay display;
  private volatile Consumer<String> send = m -> {};
  private volatile Runnable hangUp = () -> {};
  /** guacamole-common's limits, which the gateway keeps too: 64 elements of at most 8192 code points. */
  static final int MAX_ELEMENTS = 64;
  static final int MAX_ELEMENT = 8192;
  private final GuacParser parser = new GuacParser(MAX_ELEMENTS, MAX_ELEMENTS * (MAX_ELEMENT + 8));
  private final ImageEncoder images = new ImageEncoder(0.75f);
  private final WindowLayers windows = new WindowLayers();
  private final List<Rect> forced = new ArrayList<>();
  private RfbClient rfb;
  private boolean awaitingAck;
  private boolean closed;
  private int stream;
  private String clipboard = "";
  private long frames;
  private long sentChars;

  DisplaySession(QubeDisplay display) {
    this.display = display;
  }

  /** Where instructions go ({@code send}) and how to drop the viewer ({@code hangUp}). */
  void bind(Consumer<String> send, Runnable hangUp) {
    this.send = send;
    this.hangUp = hangUp;
  }

  /** Connects to the qube's RFB socket and sends the current windows; blocks briefly. */
  void open(RfbClient client) {
    synchronized (this) {
      this.rfb = client;
      display.addViewer(this);
      FrameBuilder f = new FrameBuilder();
      for (XWindow w : display.windowManager().windows()) {
        windows.map(w).ifPresent(l -> announce(f, l, true));
      }
      sendAll(f);
      rfb.requestUpdate(0, 0, rfb.width(), rfb.height(), false);
    }
  }

  // ---- from the viewer ----

  /** Text from the gateway: whole or partial instructions. A malformed one ends the session. */
  public void receive(String untrustedText) {
    List<GuacInstruction> list;
    try {
      list = parser.feed(untrustedText);
    } catch (GuacProtocolException e) {
      fail("bad instruction from the viewer: " + e.getMessage());
      return;
    }
    for (GuacInstruction i : list) {
      try {
        handle(i);
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        fail("bad instruction from the viewer: " + i.opcode() + " with arguments " + i.args().size());
        return;
      }
    }
  }

  private void handle(GuacInstruction i) {
    switch (i.opcode()) {
      case "sync" -> acknowledged();
      case "qair-mouse" -> windows.byLayer(Integer.parseInt(i.arg(0))).ifPresent(w -> {
        int x = clamp(Integer.parseInt(i.arg(1)), 0, w.width() - 1);
        int y = clamp(Integer.parseInt(i.arg(2)), 0, w.height() - 1);
        rfb.pointer(w.x() + x, w.y() + y, Integer.parseInt(i.arg(3)) & 0x1f);
      });
      case "key" -> rfb.key(Integer.parseInt(i.arg(0)), "1".equals(i.arg(1)));
      case "qair-focus" -> windows.byLayer(Integer.parseInt(i.arg(0))).ifPresent(w -> {
        display.windowManager().focus(w.id());
        display.windowManager().sync(FOCUS_WAIT); // keys typed next go to this window, not the last one
      });
      case "qair-resize" -> windows.byLayer(Integer.parseInt(i.arg(0))).ifPresent(w ->
          display.windowManager().resize(w.id(), clamp(Integer.parseInt(i.arg(1)), 1, rfb.width()),
              clamp(Integer.parseInt(i.arg(2)), 1, rfb.height())));
      case "qair-close" -> windows.byLayer(Integer.parseInt(i.arg(0)))
          .ifPresent(w -> display.windowManager().close(w.id()));
      case "qair-clipboard-get" -> {
        String text;
        synchronized (this) {
          text = clipboard;
        }
        sendAll(new FrameBuilder().add(new GuacInstruction("qair-clipboard", Texts.parts(text, MAX_ELEMENT))));
      }
      case "qair-clipboard-set" -> {
        String text = String.join("", i.args());
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_CLIPBOARD) {
          rfb.cutText(text);
        } else {
          LOG.info("qube {}: refused a paste of more than {} bytes", display.qube, MAX_CLIPBOARD);
        }
      }
      default -> LOG.debug("qube {}: ignoring viewer instruction {}", display.qube, i.opcode());
    }
  }

  private synchronized void acknowledged() {
    if (!awaitingAck || closed) {
      return;
    }
    awaitingAck = false;
    requestMore();
  }

  private void requestMore() {
    for (Rect r : forced) {
      rfb.requestUpdate(r.x(), r.y(), r.width(), r.height(), false);
    }
    forced.clear();
    rfb.requestUpdate(0, 0, rfb.width(), rfb.height(), true);
  }

  // ---- from the framebuffer ----

  @Override
  public void onUpdate(List<RfbChange> changes) {
    synchronized (this) {
      if (closed || rfb == null) {
        return;
      }
      Framebuffer fb = rfb.framebuffer();
      FrameBuilder f = new FrameBuilder();
      List<Rect> dirty = new ArrayList<>();
      boolean pixelsSeen = false;
      for (RfbChange c : changes) {
        if (c instanceof RfbChange.Copy copy && !pixelsSeen) {
          if (!windows.copyWithin(f, copy)) {
            dirty.add(copy.dst());
          }
        } else if (c instanceof RfbChange.Copy copy) {
          dirty.add(copy.dst());
        } else if (c instanceof RfbChange.Pixels p) {
          pixelsSeen = true;
          dirty.add(p.r());
        }
      }
      for (WindowLayers.Layer l : windows.all()) {
        for (Rect r : windows.damage(l, dirty, MAX_RECTS_PER_WINDOW)) {
          ImageEncoder.Encoded img = images.encode(fb.pixels(), fb.stride(), r.x(), r.y(), r.width(), r.height());
          f.image(nextStream(), 14, l.layer(), img.mimetype(), r.x() - l.window().x(), r.y() - l.window().y(), img.data());
        }
      }
      if (f.isEmpty()) {
        rfb.requestUpdate(0, 0, rfb.width(), rfb.height(), true); // nothing visible changed
        return;
      }
      f.add("sync", System.currentTimeMillis());
      awaitingAck = true;
      frames++;
      sendAll(f);
    }
  }

  @Override
  public synchronized void onResize(int width, int height) {
    LOG.info("qube {}: its screen is now {}x{}", display.qube, width, height);
    windows.all().forEach(l -> force(l.window())); // the framebuffer was cleared: send every window again
  }

  @Override
  public void onCursor(int hotX, int hotY, int width, int height, int[] argb) {
    if (width <= 0 || height <= 0) {
      return;
    }
    byte[] png = CursorImages.png(argb, width, height);
    synchronized (this) {
      FrameBuilder f = new FrameBuilder();
      f.add("size", -1, width, height);
      f.image(nextStream(), 12, -1, "image/png", 0, 0, png);
      f.add("cursor", hotX, hotY, -1, 0, 0, width, height);
      sendAll(f);
    }
  }

  @Override
  public synchronized void onServerCutText(String text) {
    clipboard = Texts.limitUtf8(text, MAX_CLIPBOARD);
  }

  // ---- from the window manager ----

  @Override
  public synchronized void onMapped(XWindow w) {
    windows.map(w).ifPresent(l -> {
      FrameBuilder f = new FrameBuilder();
      announce(f, l, true);
      sendAll(f);
      force(l.window());
    });
  }

  @Override
  public synchronized void onChanged(XWindow w) {
    windows.change(w).ifPresent(change -> {
      FrameBuilder f = new FrameBuilder();
      announce(f, change.layer(), change.resized());
      sendAll(f);
      if (change.resized() || change.moved()) {
        force(change.layer().window());
      }
    });
  }

  @Override
  public synchronized void onUnmapped(int window) {
    windows.unmap(window).ifPresent(layer -> {
      sendAll(new FrameBuilder().add("qair-unmap", layer).add("dispose", layer));
    });
  }

  @Override
  public void onClosed(Throwable cause) {
    fail(cause == null ? "the qube's display closed" : "the qube's display failed: " + cause.getMessage());
  }

  private void announce(FrameBuilder f, WindowLayers.Layer l, boolean sized) {
    XWindow w = l.window();
    if (sized) {
      f.add("size", l.layer(), w.width(), w.height());
    }
    WindowLayers.Layer parent = windows.parentOf(l);
    int dx = parent == null ? 0 : w.x() - parent.window().x();
    int dy = parent == null ? 0 : w.y() - parent.window().y();
    f.add("qair-window", l.layer(), w.kind().name().toLowerCase(java.util.Locale.ROOT),
        parent == null ? 0 : parent.layer(), dx, dy, Titles.clean(w.title(), MAX_TITLE));
  }

  /** The window's pixels are sent in full with the next frame. */
  private void force(XWindow w) {
    Rect r = new Rect(w.x(), w.y(), w.width(), w.height());
    if (awaitingAck) {
      forced.add(r);
    } else if (rfb != null) {
      rfb.requestUpdate(r.x(), r.y(), r.width(), r.height(), false);
    }
  }

  // ---- plumbing ----

  private int nextStream() {
    stream = stream % 32 + 1;
    return stream;
  }

  private void sendAll(FrameBuilder f) {
    for (String m : f.drain()) {
      sentChars += m.length();
      send.accept(m);
    }
  }

  /** Ends the session with a message to the viewer. */
  void fail(String message) {
    synchronized (this) {
      if (closed) {
        return;
      }
      LOG.info("qube {}: display session ends: {}", display.qube, message);
      try {
        sendAll(new FrameBuilder().add("qair-error", message));
      } catch (RuntimeException e) {
        // the viewer is gone already
      }
    }
    close();
    hangUp.run();
  }

  /** Releases the RFB connection and stops listening to the window manager. Idempotent. */
  public void close() {
    RfbClient c;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      c = rfb;
    }
    display.removeViewer(this);
    if (c != null) {
      c.close();
    }
    LOG.debug("qube {}: viewer gone after {} frames, {} chars", display.qube, frames, sentChars);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
