package io.qair.desktop.tunnel;

import static io.qair.desktop.tunnel.TunnelLimits.MAX_DIMENSION;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.guacamole.protocol.GuacamoleInstruction;

/**
 * What a qube's display may say to the page (agent to browser), instruction by instruction.
 * Only the opcodes of docs/dev/display.md pass, each with its exact arity and every number
 * re-encoded from its parsed value and bounded; a window title is cleaned again. The filter
 * keeps the set of live windows (layers) and open image streams, so drawing into a layer that
 * was never sized, more than {@link TunnelLimits#MAX_WINDOWS} windows or
 * {@link TunnelLimits#MAX_STREAMS} streams are dropped. {@code qair-clipboard*} never passes.
 * One instance per tunnel; not thread-safe.
 */
public final class AgentFilter {
  public static final Set<String> MIMES = Set.of("image/png", "image/jpeg");

  private final Set<Integer> windows = new HashSet<>();
  private final Set<Integer> streams = new HashSet<>();

  /** The instruction to send to the page, or null to drop it. */
  public GuacamoleInstruction filter(GuacamoleInstruction untrusted) {
    List<String> a = untrusted.getArgs();
    return switch (untrusted.getOpcode()) {
      case "size" -> size(a);
      case "img" -> img(a);
      case "blob" -> blob(a);
      case "end" -> end(a);
      case "copy" -> copy(a);
      case "cursor" -> cursor(a);
      case "dispose" -> dispose(a);
      case "sync" -> sync(a);
      case "qair-window" -> window(a);
      case "qair-unmap" -> unmap(a);
      case "qair-error" -> Args.count(a, 1)
          ? new GuacamoleInstruction("qair-error", UntrustedText.clean(a.get(0), TunnelLimits.ERROR_MESSAGE)) : null;
      default -> null;
    };
  }

  /** True when {@code layer} is a live window of this display. */
  public boolean isWindow(int layer) {
    return windows.contains(layer);
  }

  private GuacamoleInstruction size(List<String> a) {
    if (!Args.count(a, 3)) {
      return null;
    }
    Integer layer = drawable(a.get(0));
    Integer w = Args.integer(a.get(1), 0, MAX_DIMENSION);
    Integer h = Args.integer(a.get(2), 0, MAX_DIMENSION);
    if (layer == null || w == null || h == null) {
      return null;
    }
    if (layer > 0 && !windows.contains(layer)) {
      if (windows.size() >= TunnelLimits.MAX_WINDOWS) {
        return null;
      }
      windows.add(layer);
    }
    return new GuacamoleInstruction("size", Args.str(layer), Args.str(w), Args.str(h));
  }

  private GuacamoleInstruction img(List<String> a) {
    if (!Args.count(a, 6)) {
      return null;
    }
    Integer stream = Args.integer(a.get(0), 0, Integer.MAX_VALUE);
    Integer mask = Args.integer(a.get(1), 0, 15);
    Integer layer = live(a.get(2));
    String mime = a.get(3);
    Integer x = Args.integer(a.get(4), 0, MAX_DIMENSION);
    Integer y = Args.integer(a.get(5), 0, MAX_DIMENSION);
    if (stream == null || mask == null || layer == null || !MIMES.contains(mime) || x == null || y == null) {
      return null;
    }
    if (!streams.contains(stream) && streams.size() >= TunnelLimits.MAX_STREAMS) {
      return null;
    }
    streams.add(stream);
    return new GuacamoleInstruction("img", Args.str(stream), Args.str(mask), Args.str(layer), mime,
        Args.str(x), Args.str(y));
  }

  private GuacamoleInstruction blob(List<String> a) {
    if (!Args.count(a, 2)) {
      return null;
    }
    Integer stream = Args.integer(a.get(0), 0, Integer.MAX_VALUE);
    if (stream == null || !streams.contains(stream) || !Args.base64(a.get(1))) {
      return null;
    }
    return new GuacamoleInstruction("blob", Args.str(stream), a.get(1));
  }

  private GuacamoleInstruction end(List<String> a) {
    if (!Args.count(a, 1)) {
      return null;
    }
    Integer stream = Args.integer(a.get(0), 0, Integer.MAX_VALUE);
    if (stream == null || !streams.remove(stream)) {
      return null;
    }
    return new GuacamoleInstruction("end", Args.str(stream));
  }

  private GuacamoleInstruction copy(List<String> a) {
    if (!Args.count(a, 9)) {
      return null;
    }
    Integer src = live(a.get(0));
    Integer sx = Args.integer(a.get(1), 0, MAX_DIMENSION);
    Integer sy = Args.integer(a.get(2), 0, MAX_DIMENSION);
    Integer w = Args.integer(a.get(3), 0, MAX_DIMENSION);
    Integer h = Args.integer(a.get(4), 0, MAX_DIMENSION);
    Integer mask = Args.integer(a.get(5), 0, 15);
    Integer dst = live(a.get(6));
    Integer dx = Args.integer(a.get(7), 0, MAX_DIMENSION);
    Integer dy = Args.integer(a.get(8), 0, MAX_DIMENSION);
    if (src == null || sx == null || sy == null || w == null || h == null || mask == null || dst == null
        || dx == null || dy == null || !src.equals(dst)) {
      return null;
    }
    return new GuacamoleInstruction("copy", Args.str(src), Args.str(sx), Args.str(sy), Args.str(w), Args.str(h),
        Args.str(mask), Args.str(dst), Args.str(dx), Args.str(dy));
  }

  private GuacamoleInstruction cursor(List<String> a) {
    if (!Args.count(a, 7)) {
      return null;
    }
    Integer hx = Args.integer(a.get(0), 0, TunnelLimits.MAX_CURSOR);
    Integer hy = Args.integer(a.get(1), 0, TunnelLimits.MAX_CURSOR);
    Integer src = Args.integer(a.get(2), -TunnelLimits.MAX_BUFFERS, -1);
    Integer sx = Args.integer(a.get(3), 0, MAX_DIMENSION);
    Integer sy = Args.integer(a.get(4), 0, MAX_DIMENSION);
    Integer w = Args.integer(a.get(5), 0, TunnelLimits.MAX_CURSOR);
    Integer h = Args.integer(a.get(6), 0, TunnelLimits.MAX_CURSOR);
    if (hx == null || hy == null || src == null || sx == null || sy == null || w == null || h == null) {
      return null;
    }
    return new GuacamoleInstruction("cursor", Args.str(hx), Args.str(hy), Args.str(src), Args.str(sx), Args.str(sy),
        Args.str(w), Args.str(h));
  }

  private GuacamoleInstruction dispose(List<String> a) {
    if (!Args.count(a, 1)) {
      return null;
    }
    Integer layer = drawable(a.get(0));
    if (layer == null || (layer > 0 && !windows.remove(layer))) {
      return null;
    }
    return new GuacamoleInstruction("dispose", Args.str(layer));
  }

  private static GuacamoleInstruction sync(List<String> a) {
    if (a.isEmpty() || a.size() > 2) {
      return null;
    }
    String ts = Args.timestamp(a.get(0));
    return ts == null ? null : new GuacamoleInstruction("sync", ts);
  }

  private GuacamoleInstruction window(List<String> a) {
    if (!Args.count(a, 6)) {
      return null;
    }
    Integer layer = Args.integer(a.get(0), 1, Integer.MAX_VALUE);
    String kind = a.get(1);
    Integer parent = Args.integer(a.get(2), 0, Integer.MAX_VALUE);
    Integer dx = Args.integer(a.get(3), -MAX_DIMENSION, MAX_DIMENSION);
    Integer dy = Args.integer(a.get(4), -MAX_DIMENSION, MAX_DIMENSION);
    if (layer == null || !windows.contains(layer) || parent == null || dx == null || dy == null
        || !(kind.equals("normal") || kind.equals("transient") || kind.equals("popup"))) {
      return null;
    }
    // a dialog or a menu needs a live parent other than itself; else it is shown as a normal window
    boolean hasParent = parent != 0 && !parent.equals(layer) && windows.contains(parent);
    if (!hasParent) {
      kind = "normal";
      parent = 0;
    }
    return new GuacamoleInstruction("qair-window", Args.str(layer), kind, Args.str(parent), Args.str(dx),
        Args.str(dy), UntrustedText.clean(a.get(5), TunnelLimits.TITLE));
  }

  private GuacamoleInstruction unmap(List<String> a) {
    if (!Args.count(a, 1)) {
      return null;
    }
    Integer layer = live(a.get(0));
    return layer == null || layer < 1 ? null : new GuacamoleInstruction("qair-unmap", Args.str(layer));
  }

  /** A window layer (>= 1) or a buffer (-1 .. -MAX_BUFFERS); never the root layer 0. */
  private static Integer drawable(String untrusted) {
    Integer layer = Args.integer(untrusted, -TunnelLimits.MAX_BUFFERS, Integer.MAX_VALUE);
    return layer == null || layer == 0 ? null : layer;
  }

  /** A live window or a buffer. */
  private Integer live(String untrusted) {
    Integer layer = drawable(untrusted);
    return layer == null || (layer > 0 && !windows.contains(layer)) ? null : layer;
  }
}
