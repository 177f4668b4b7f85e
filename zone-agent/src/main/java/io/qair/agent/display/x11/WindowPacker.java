package io.qair.agent.display.x11;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Places windows on the virtual screen so that no two overlap, with at least {@code gap} pixels
 * between any two.
 *
 * <p>A window goes to the top-most, then left-most free spot ("bottom-left" packing turned upside
 * down). The candidate spots are the screen's edges and the right and bottom edges (plus the gap)
 * of the windows already placed: any free spot can slide up and left until it touches one of those,
 * so if the window fits anywhere, it is found. If it fits nowhere, it is shrunk in steps of a tenth
 * of its size, down to {@link #MIN_WIDTH} x {@link #MIN_HEIGHT} (or its own size if smaller), and
 * placed at the first size that fits. If even that does not fit, there is no room: the caller
 * leaves the window unmapped until another one goes away (never overlapping beats showing).
 *
 * <p>O(n^3) in the windows placed at worst (n^2 spots, each checked against the windows at its
 * height); the manager keeps n at most {@link ManagedWindows#MAX_WINDOWS}.
 */
final class WindowPacker {
  static final int DEFAULT_GAP = 8;
  static final int MIN_WIDTH = 64;
  static final int MIN_HEIGHT = 48;

  private final int screenWidth;
  private final int screenHeight;
  private final int gap;
  private final Map<Integer, Rect> placed = new LinkedHashMap<>();

  record Rect(int x, int y, int width, int height) {
    /** True if the two are closer than {@code gap} pixels (or overlap). */
    boolean crowds(Rect o, int gap) {
      return x < o.x + o.width + gap && o.x < x + width + gap && y < o.y + o.height + gap && o.y < y + height + gap;
    }
  }

  WindowPacker(int screenWidth, int screenHeight, int gap) {
    this.screenWidth = screenWidth;
    this.screenHeight = screenHeight;
    this.gap = gap;
  }

  /** Finds room for window {@code id} (placed anew if it already was); empty if there is none. */
  Optional<Rect> place(int id, int width, int height) {
    placed.remove(id);
    int w = clamp(width, screenWidth);
    int h = clamp(height, screenHeight);
    for (int tenths = 10; tenths >= 0; tenths--) {
      int sw = Math.max(Math.min(w, MIN_WIDTH), w * tenths / 10);
      int sh = Math.max(Math.min(h, MIN_HEIGHT), h * tenths / 10);
      Rect r = find(sw, sh);
      if (r != null) {
        placed.put(id, r);
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Gives placed window {@code id} a new size: in place if it still fits there, else at a new spot
   * (shrunk if need be). A window not placed yet is placed. Empty only if there is no room at all.
   */
  Optional<Rect> resize(int id, int width, int height) {
    Rect old = placed.remove(id);
    if (old == null) {
      return place(id, width, height);
    }
    Rect same = new Rect(old.x, old.y, clamp(width, screenWidth), clamp(height, screenHeight));
    if (fits(same)) {
      placed.put(id, same);
      return Optional.of(same);
    }
    Optional<Rect> moved = place(id, width, height);
    if (moved.isEmpty()) {
      placed.put(id, old);
      return Optional.of(old);
    }
    return moved;
  }

  void remove(int id) {
    placed.remove(id);
  }

  Optional<Rect> get(int id) {
    return Optional.ofNullable(placed.get(id));
  }

  Map<Integer, Rect> placements() {
    return Map.copyOf(placed);
  }

  private Rect find(int w, int h) {
    TreeSet<Integer> xs = new TreeSet<>();
    TreeSet<Integer> ys = new TreeSet<>();
    xs.add(0);
    ys.add(0);
    for (Rect r : placed.values()) {
      xs.add(r.x + r.width + gap);
      ys.add(r.y + r.height + gap);
    }
    List<Rect> band = new ArrayList<>();
    for (int y : ys) {
      if (y + h > screenHeight) {
        break;
      }
      band.clear();
      for (Rect o : placed.values()) {
        if (y < o.y + o.height + gap && o.y < y + h + gap) {
          band.add(o); // the windows a spot at this height could crowd
        }
      }
      int from = 0;
      for (int x : xs) {
        if (x + w > screenWidth) {
          break;
        }
        if (x < from) {
          continue;
        }
        Rect r = new Rect(x, y, w, h);
        Rect blocker = null;
        for (Rect o : band) {
          if (r.crowds(o, gap)) {
            blocker = o;
            break;
          }
        }
        if (blocker == null) {
          return r;
        }
        from = blocker.x + blocker.width + gap; // every spot left of that collides with it too
      }
    }
    return null;
  }

  private boolean fits(Rect r) {
    return r.x >= 0 && r.y >= 0 && r.x + r.width <= screenWidth && r.y + r.height <= screenHeight && blocker(r) == null;
  }

  /** A placed window {@code r} would crowd, or null. */
  private Rect blocker(Rect r) {
    for (Rect o : placed.values()) {
      if (r.crowds(o, gap)) {
        return o;
      }
    }
    return null;
  }

  private static int clamp(int v, int max) {
    return Math.max(1, Math.min(v, max));
  }
}
