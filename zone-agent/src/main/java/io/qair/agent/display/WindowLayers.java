package io.qair.agent.display;

import io.qair.agent.display.guac.FrameBuilder;
import io.qair.agent.display.rfb.Rect;
import io.qair.agent.display.rfb.RfbChange;
import io.qair.agent.display.x11.XWindow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The viewer's windows: X window id to Guacamole layer (1, 2, ... never reused within a session)
 * and the geometry last announced. Not thread-safe: {@link DisplaySession} holds its monitor.
 */
final class WindowLayers {
  record Layer(int layer, XWindow window) {}

  record Change(Layer layer, boolean resized, boolean moved) {}

  private final Map<Integer, Layer> byWindow = new LinkedHashMap<>();
  private final Map<Integer, Layer> byLayer = new LinkedHashMap<>();
  private int next = 1;

  /** A newly visible window gets a layer; empty if it is already known or has no area. */
  Optional<Layer> map(XWindow w) {
    if (byWindow.containsKey(w.id()) || w.width() <= 0 || w.height() <= 0) {
      return Optional.empty();
    }
    Layer l = new Layer(next++, w);
    byWindow.put(w.id(), l);
    byLayer.put(l.layer(), l);
    return Optional.of(l);
  }

  Optional<Change> change(XWindow w) {
    Layer old = byWindow.get(w.id());
    if (old == null) {
      return map(w).map(l -> new Change(l, true, true));
    }
    if (w.width() <= 0 || w.height() <= 0) {
      return Optional.empty();
    }
    Layer l = new Layer(old.layer(), w);
    byWindow.put(w.id(), l);
    byLayer.put(l.layer(), l);
    XWindow o = old.window();
    boolean resized = o.width() != w.width() || o.height() != w.height();
    boolean moved = o.x() != w.x() || o.y() != w.y();
    return Optional.of(new Change(l, resized, moved));
  }

  /** Forgets a window; returns its layer. */
  Optional<Integer> unmap(int window) {
    Layer l = byWindow.remove(window);
    if (l == null) {
      return Optional.empty();
    }
    byLayer.remove(l.layer());
    return Optional.of(l.layer());
  }

  Optional<XWindow> byLayer(int layer) {
    Layer l = byLayer.get(layer);
    return l == null ? Optional.empty() : Optional.of(l.window());
  }

  Collection<Layer> all() {
    return byLayer.values();
  }

  Layer parentOf(Layer l) {
    int p = l.window().parent();
    return p == 0 ? null : byWindow.get(p);
  }

  /**
   * A CopyRect whose source and destination both lie in one window becomes a {@code copy} inside
   * that window's layer; false if it crosses windows (then its destination is sent as pixels).
   */
  boolean copyWithin(FrameBuilder f, RfbChange.Copy c) {
    Rect dst = c.dst();
    for (Layer l : byLayer.values()) {
      XWindow w = l.window();
      if (inside(w, dst.x(), dst.y(), dst.width(), dst.height())
          && inside(w, c.srcX(), c.srcY(), dst.width(), dst.height())) {
        f.add("copy", l.layer(), c.srcX() - w.x(), c.srcY() - w.y(), dst.width(), dst.height(), 12,
            l.layer(), dst.x() - w.x(), dst.y() - w.y());
        return true;
      }
    }
    // a copy touching no window changes nothing the viewer sees
    return byLayer.values().stream().noneMatch(l -> intersects(l.window(), dst));
  }

  /** The parts of {@code dirty} inside window {@code l}, in screen coordinates; merged if many. */
  List<Rect> damage(Layer l, List<Rect> dirty, int maxRects) {
    XWindow w = l.window();
    List<Rect> out = new ArrayList<>();
    for (Rect d : dirty) {
      int x0 = Math.max(d.x(), w.x());
      int y0 = Math.max(d.y(), w.y());
      int x1 = Math.min(d.x() + d.width(), w.x() + w.width());
      int y1 = Math.min(d.y() + d.height(), w.y() + w.height());
      if (x1 > x0 && y1 > y0) {
        out.add(new Rect(x0, y0, x1 - x0, y1 - y0));
      }
    }
    if (out.size() > maxRects) {
      int x0 = Integer.MAX_VALUE;
      int y0 = Integer.MAX_VALUE;
      int x1 = Integer.MIN_VALUE;
      int y1 = Integer.MIN_VALUE;
      for (Rect r : out) {
        x0 = Math.min(x0, r.x());
        y0 = Math.min(y0, r.y());
        x1 = Math.max(x1, r.x() + r.width());
        y1 = Math.max(y1, r.y() + r.height());
      }
      return List.of(new Rect(x0, y0, x1 - x0, y1 - y0));
    }
    return out;
  }

  private static boolean inside(XWindow w, int x, int y, int width, int height) {
    return x >= w.x() && y >= w.y() && x + width <= w.x() + w.width() && y + height <= w.y() + w.height();
  }

  private static boolean intersects(XWindow w, Rect r) {
    return r.x() < w.x() + w.width() && w.x() < r.x() + r.width()
        && r.y() < w.y() + w.height() && w.y() < r.y() + r.height();
  }
}
