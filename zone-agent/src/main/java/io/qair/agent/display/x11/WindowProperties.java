package io.qair.agent.display.x11;

import io.qair.agent.display.x11.X11Replies.Property;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the ICCCM/EWMH properties the manager needs from a client window, each capped with
 * GetProperty's long-length: the name (_NET_WM_NAME as UTF8_STRING, else WM_NAME as Latin-1 or
 * UTF8_STRING), WM_TRANSIENT_FOR, WM_PROTOCOLS and WM_HINTS' input flag. A property of the wrong
 * type or format counts as absent; an error (the window is gone) too.
 */
final class WindowProperties {
  private static final int PROTOCOLS_LONGS = 64;
  private static final int HINTS_LONGS = 9;
  private static final int HINT_INPUT = 1;

  private final X11Connection conn;
  private final X11Atoms atoms;

  WindowProperties(X11Connection conn, X11Atoms atoms) {
    this.conn = conn;
    this.atoms = atoms;
  }

  /** Reads all of them (pipelined: one round trip's latency). */
  void readAll(TrackedWindow w) throws IOException {
    int netName = send(w.id, atoms.netWmName, WindowTitles.READ_LONGS);
    int name = send(w.id, X11Atoms.WM_NAME, WindowTitles.READ_LONGS);
    int transientFor = send(w.id, X11Atoms.WM_TRANSIENT_FOR, 1);
    int protocols = send(w.id, atoms.wmProtocols, PROTOCOLS_LONGS);
    int hints = send(w.id, X11Atoms.WM_HINTS, HINTS_LONGS);
    w.title = title(await(netName, WindowTitles.READ_LONGS), await(name, WindowTitles.READ_LONGS));
    w.transientFor = transientFor(await(transientFor, 1));
    applyProtocols(w, await(protocols, PROTOCOLS_LONGS));
    applyHints(w, await(hints, HINTS_LONGS));
  }

  /** Re-reads what {@code atom} changed; true if something the display sees changed. */
  boolean reread(TrackedWindow w, int atom) throws IOException {
    if (atom == atoms.netWmName || atom == X11Atoms.WM_NAME) {
      int netName = send(w.id, atoms.netWmName, WindowTitles.READ_LONGS);
      int name = send(w.id, X11Atoms.WM_NAME, WindowTitles.READ_LONGS);
      String title = title(await(netName, WindowTitles.READ_LONGS), await(name, WindowTitles.READ_LONGS));
      boolean changed = !title.equals(w.title);
      w.title = title;
      return changed;
    }
    if (atom == X11Atoms.WM_TRANSIENT_FOR) {
      int old = w.transientFor;
      w.transientFor = transientFor(await(send(w.id, atom, 1), 1));
      return old != w.transientFor;
    }
    if (atom == atoms.wmProtocols) {
      applyProtocols(w, await(send(w.id, atom, PROTOCOLS_LONGS), PROTOCOLS_LONGS));
    } else if (atom == X11Atoms.WM_HINTS) {
      applyHints(w, await(send(w.id, atom, HINTS_LONGS), HINTS_LONGS));
    }
    return false;
  }

  /** WM_TRANSIENT_FOR alone (for popups). */
  int transientFor(int window) throws IOException {
    return transientFor(await(send(window, X11Atoms.WM_TRANSIENT_FOR, 1), 1));
  }

  private String title(Property netName, Property name) {
    if (netName.type() == atoms.utf8String && netName.format() == 8) {
      return WindowTitles.decode(netName.data(), true);
    }
    if (name.format() == 8) {
      return WindowTitles.decode(name.data(), name.type() == atoms.utf8String);
    }
    return "";
  }

  private static int transientFor(Property p) {
    int[] v = p.type() == X11Atoms.WINDOW ? p.ints() : new int[0];
    return v.length == 1 ? v[0] : 0;
  }

  private void applyProtocols(TrackedWindow w, Property p) {
    w.deleteWindow = false;
    w.takeFocus = false;
    for (int atom : p.type() == X11Atoms.ATOM ? p.ints() : new int[0]) {
      w.deleteWindow |= atom == atoms.wmDeleteWindow;
      w.takeFocus |= atom == atoms.wmTakeFocus;
    }
  }

  private static void applyHints(TrackedWindow w, Property p) {
    int[] v = p.ints();
    w.acceptsInput = v.length < 2 || (v[0] & HINT_INPUT) == 0 || v[1] != 0;
  }

  private int send(int window, int property, int longs) throws IOException {
    return conn.send(X11Requests.getProperty(window, property, longs), true);
  }

  private Property await(int seq, int longs) throws IOException {
    ByteBuffer reply = conn.awaitReply(seq);
    return reply == null ? Property.ABSENT : X11Replies.property(reply, longs);
  }
}
