package io.qair.desktop.tunnel;

import static io.qair.desktop.tunnel.TunnelLimits.MAX_DIMENSION;

import java.util.List;
import java.util.function.IntPredicate;
import org.apache.guacamole.protocol.GuacamoleInstruction;

/**
 * What the page may say to a qube's display (browser to agent): {@code sync}, {@code key},
 * {@code qair-mouse}, {@code qair-focus}, {@code qair-resize}, {@code qair-close}, each with its
 * exact arity, bounded numbers re-encoded, and a window that the qube really has. Everything else
 * is dropped; the clipboard instructions are the gateway's own ({@link Tunnel}) and never reach
 * an agent from the browser.
 */
public final class BrowserFilter {
  /** Highest X keysym (Unicode keysyms are 0x01000000 + code point). */
  static final int MAX_KEYSYM = 0x1FFFFFFF;

  private BrowserFilter() {}

  /**
   * The instruction to send to the agent, or null to drop it.
   *
   * @param isWindow whether a layer is a live window of this qube's display
   */
  public static GuacamoleInstruction filter(GuacamoleInstruction untrusted, IntPredicate isWindow) {
    List<String> a = untrusted.getArgs();
    switch (untrusted.getOpcode()) {
      case "sync": {
        String ts = a.size() == 1 ? Args.timestamp(a.get(0)) : null;
        return ts == null ? null : new GuacamoleInstruction("sync", ts);
      }
      case "key": {
        Integer keysym = a.size() == 2 ? Args.integer(a.get(0), 0, MAX_KEYSYM) : null;
        Integer pressed = a.size() == 2 ? Args.integer(a.get(1), 0, 1) : null;
        return keysym == null || pressed == null ? null
            : new GuacamoleInstruction("key", Args.str(keysym), Args.str(pressed));
      }
      case "qair-mouse": {
        if (a.size() != 4) {
          return null;
        }
        Integer layer = window(a.get(0), isWindow);
        Integer x = Args.integer(a.get(1), -MAX_DIMENSION, MAX_DIMENSION);
        Integer y = Args.integer(a.get(2), -MAX_DIMENSION, MAX_DIMENSION);
        Integer mask = Args.integer(a.get(3), 0, 31);
        return layer == null || x == null || y == null || mask == null ? null
            : new GuacamoleInstruction("qair-mouse", Args.str(layer), Args.str(x), Args.str(y), Args.str(mask));
      }
      case "qair-focus", "qair-close": {
        Integer layer = a.size() == 1 ? window(a.get(0), isWindow) : null;
        return layer == null ? null : new GuacamoleInstruction(untrusted.getOpcode(), Args.str(layer));
      }
      case "qair-resize": {
        if (a.size() != 3) {
          return null;
        }
        Integer layer = window(a.get(0), isWindow);
        Integer w = Args.integer(a.get(1), 1, MAX_DIMENSION);
        Integer h = Args.integer(a.get(2), 1, MAX_DIMENSION);
        return layer == null || w == null || h == null ? null
            : new GuacamoleInstruction("qair-resize", Args.str(layer), Args.str(w), Args.str(h));
      }
      default:
        return null;
    }
  }

  private static Integer window(String untrusted, IntPredicate isWindow) {
    Integer layer = Args.integer(untrusted, 1, Integer.MAX_VALUE);
    return layer != null && isWindow.test(layer) ? layer : null;
  }
}
