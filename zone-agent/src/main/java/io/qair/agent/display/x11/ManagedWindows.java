package io.qair.agent.display.x11;

import io.qair.agent.display.x11.TrackedWindow.State;
import io.qair.agent.display.x11.WindowPacker.Rect;
import io.qair.agent.display.x11.X11Replies.Geometry;
import io.qair.agent.display.x11.X11Replies.WindowAttributes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The windows of one display and what the manager does with them: adopts the mapped ones, places
 * each on MapRequest (map only once placed), grants ConfigureRequest sizes at the manager's
 * position, tracks popups, titles and transients, withdraws on unmap, and carries out resize, focus
 * and close. Event thread only.
 *
 * <p>It does not reparent (no frames: the browser draws them), so managed windows stay children of
 * the root, with border width 0, where {@link WindowPacker} puts them.
 */
final class ManagedWindows {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedWindows.class);
  /** At most this many managed windows and this many popups; more are left alone (and logged). */
  static final int MAX_WINDOWS = 256;
  static final int MAX_POPUPS = 256;
  /** At most this many of the root's children are examined at start. */
  private static final int MAX_ADOPT = 4096;
  private static final int STRUCTURE_NOTIFY = 1 << 17;
  private static final int PROPERTY_CHANGE = 1 << 22;
  private static final int WM_STATE_WITHDRAWN = 0;
  private static final int WM_STATE_NORMAL = 1;
  private static final int GEOMETRY = X11Requests.CONFIG_X | X11Requests.CONFIG_Y | X11Requests.CONFIG_WIDTH
      | X11Requests.CONFIG_HEIGHT | X11Requests.CONFIG_BORDER_WIDTH;

  private final X11Connection conn;
  private final X11Atoms atoms;
  private final WindowProperties properties;
  private final WindowListener listener;
  private final WindowPacker packer;
  private final int root;
  private final int screenWidth;
  private final int screenHeight;
  private final int checkWindow;
  private final Map<Integer, TrackedWindow> windows = new LinkedHashMap<>();
  private boolean dirty;
  private boolean warnedFull;
  private int lastTime;

  ManagedWindows(X11Connection conn, X11Atoms atoms, WindowListener listener, int checkWindow) {
    this.conn = conn;
    this.atoms = atoms;
    this.listener = listener;
    this.checkWindow = checkWindow;
    this.properties = new WindowProperties(conn, atoms);
    this.root = conn.setup().root();
    this.screenWidth = conn.setup().width();
    this.screenHeight = conn.setup().height();
    this.packer = new WindowPacker(screenWidth, screenHeight, WindowPacker.DEFAULT_GAP);
  }

  /** Takes over the windows mapped before the manager started, bottom-most first. */
  void adoptExisting() throws IOException {
    ByteBuffer tree = conn.roundTrip(X11Requests.queryTree(root));
    if (tree == null) {
      throw new X11ProtocolException("QueryTree on the root window failed");
    }
    int[] children = X11Replies.children(tree);
    int n = Math.min(children.length, MAX_ADOPT);
    int[] seqs = new int[n];
    for (int i = 0; i < n; i++) {
      seqs[i] = conn.send(X11Requests.getWindowAttributes(children[i]), true);
    }
    List<int[]> viewable = new ArrayList<>(); // {window, override-redirect}
    for (int i = 0; i < n; i++) {
      ByteBuffer reply = conn.awaitReply(seqs[i]);
      if (reply != null && children[i] != checkWindow) {
        WindowAttributes a = X11Replies.windowAttributes(reply);
        if (a.mapState() == X11Replies.MAP_STATE_VIEWABLE) {
          viewable.add(new int[] {children[i], a.overrideRedirect() ? 1 : 0});
        }
      }
    }
    for (int[] v : viewable) {
      if (v[1] == 1) {
        trackPopup(v[0]);
      } else {
        manage(v[0], true);
      }
    }
  }

  void dispatch(X11Event event) throws IOException {
    if (event.synthetic()) {
      // sent by some client, the server does not vouch for it; only ICCCM's withdrawal of a
      // window that was never mapped is honoured (it can only make the manager do less)
      if (event instanceof X11Event.UnmapNotify e && managed(e.window()) != null
          && managed(e.window()).state == State.PENDING) {
        windows.remove(e.window());
      }
      return;
    }
    if (event instanceof X11Event.MapRequest e) {
      manage(e.window(), false);
    } else if (event instanceof X11Event.ConfigureRequest e) {
      onConfigureRequest(e);
    } else if (event instanceof X11Event.MapNotify e) {
      onMapNotify(e);
    } else if (event instanceof X11Event.UnmapNotify e) {
      onGone(e.window(), false);
    } else if (event instanceof X11Event.DestroyNotify e) {
      onGone(e.window(), true);
    } else if (event instanceof X11Event.ConfigureNotify e) {
      onConfigureNotify(e);
    } else if (event instanceof X11Event.PropertyNotify e) {
      lastTime = e.time();
      TrackedWindow w = managed(e.window());
      if (w != null && properties.reread(w, e.atom())) {
        changed(w);
      }
    }
  }

  void resize(int window, int width, int height) throws IOException {
    TrackedWindow w = managed(window);
    if (w != null) {
      resizeTo(w, width, height);
    }
  }

  void focus(int window) throws IOException {
    TrackedWindow w = managed(window);
    if (w == null || w.state != State.MAPPED) {
      return;
    }
    if (w.acceptsInput) {
      conn.send(X11Requests.setInputFocus(X11Requests.REVERT_TO_POINTER_ROOT, window, X11Requests.CURRENT_TIME), false);
    }
    if (w.takeFocus) {
      sendProtocol(window, atoms.wmTakeFocus);
    }
    conn.send(X11Requests.configureWindow(window, X11Requests.CONFIG_STACK_MODE, X11Requests.STACK_ABOVE), false);
    conn.send(X11Requests.changeProperty32(root, atoms.netActiveWindow, X11Atoms.WINDOW, window), false);
  }

  void close(int window) throws IOException {
    TrackedWindow w = managed(window);
    if (w == null) {
      return;
    }
    if (w.deleteWindow) {
      sendProtocol(window, atoms.wmDeleteWindow);
    } else {
      conn.send(X11Requests.killClient(window), false);
    }
  }

  /** The mapped windows if something changed since the last call, else null. */
  List<XWindow> takeChanges() {
    if (!dirty) {
      return null;
    }
    dirty = false;
    List<XWindow> now = new ArrayList<>();
    for (TrackedWindow w : windows.values()) {
      if (w.state == State.MAPPED) {
        now.add(describe(w));
      }
    }
    return List.copyOf(now);
  }

  /** A window the manager manages (not a popup, not ours, not the root); null otherwise. */
  private TrackedWindow managed(int window) {
    TrackedWindow w = windows.get(window);
    return w == null || w.popup ? null : w;
  }

  /** A MapRequest, or a window found mapped (adopted): place it, then map it. */
  private void manage(int window, boolean alreadyMapped) throws IOException {
    if (window == root || window == checkWindow) {
      return;
    }
    TrackedWindow w = windows.get(window);
    if (w == null) {
      if (windows.values().stream().filter(t -> !t.popup).count() >= MAX_WINDOWS) {
        if (!warnedFull) {
          warnedFull = true;
          LOG.warn("the qube has {} windows: more are not managed (not shown)", MAX_WINDOWS);
        }
        return;
      }
      Geometry g = geometry(window);
      if (g == null) {
        return; // gone already
      }
      w = new TrackedWindow(window, false);
      w.wantWidth = g.width();
      w.wantHeight = g.height();
      conn.send(X11Requests.changeWindowAttributes(window, X11Requests.CW_EVENT_MASK, PROPERTY_CHANGE), false);
      properties.readAll(w);
      windows.put(window, w);
    } else if (w.popup || w.state != State.PENDING) {
      return;
    }
    Optional<Rect> spot = packer.place(window, w.wantWidth, w.wantHeight);
    if (spot.isEmpty()) {
      if (alreadyMapped) {
        windows.remove(window); // cannot be moved out of the way: left alone, unreported
      }
      LOG.warn("no room on the screen for window 0x{} ({}x{}); it stays hidden until a window closes",
          Integer.toHexString(window), w.wantWidth, w.wantHeight);
      return;
    }
    show(w, spot.get(), alreadyMapped);
  }

  private void show(TrackedWindow w, Rect r, boolean alreadyMapped) throws IOException {
    configure(w, r);
    conn.send(X11Requests.changeProperty32(w.id, atoms.wmState, atoms.wmState, WM_STATE_NORMAL, 0), false);
    if (alreadyMapped) {
      w.state = State.MAPPED;
      mapped(w);
    } else {
      w.state = State.PLACED;
      conn.send(X11Requests.mapWindow(w.id), false);
    }
  }

  private void configure(TrackedWindow w, Rect r) throws IOException {
    conn.send(X11Requests.configureWindow(w.id, GEOMETRY, r.x(), r.y(), r.width(), r.height(), 0), false);
    if (w.state != State.MAPPED) {
      w.setGeometry(r.x(), r.y(), r.width(), r.height()); // a mapped one is updated by its ConfigureNotify
    }
  }

  private void resizeTo(TrackedWindow w, int width, int height) throws IOException {
    w.wantWidth = Math.max(1, Math.min(width, screenWidth));
    w.wantHeight = Math.max(1, Math.min(height, screenHeight));
    if (w.state == State.PENDING) {
      retryPending();
      return;
    }
    Rect r = packer.resize(w.id, w.wantWidth, w.wantHeight).orElseThrow();
    configure(w, r);
    // ICCCM 4.1.5: tell the client where it is, whatever the real event says
    conn.send(X11Requests.sendEvent(w.id, STRUCTURE_NOTIFY,
        X11Requests.configureNotify(w.id, r.x(), r.y(), r.width(), r.height())), false);
  }

  private void onConfigureRequest(X11Event.ConfigureRequest e) throws IOException {
    TrackedWindow w = windows.get(e.window());
    boolean width = (e.valueMask() & X11Requests.CONFIG_WIDTH) != 0;
    boolean height = (e.valueMask() & X11Requests.CONFIG_HEIGHT) != 0;
    if (w == null) {
      // not mapped yet: grant the size (bounded); the position is chosen at map time
      int mask = X11Requests.CONFIG_BORDER_WIDTH | (width ? X11Requests.CONFIG_WIDTH : 0)
          | (height ? X11Requests.CONFIG_HEIGHT : 0);
      int[] values = new int[Integer.bitCount(mask)];
      int i = 0;
      if (width) {
        values[i++] = Math.max(1, Math.min(e.width(), screenWidth));
      }
      if (height) {
        values[i++] = Math.max(1, Math.min(e.height(), screenHeight));
      }
      conn.send(X11Requests.configureWindow(e.window(), mask, values), false);
    } else if (!w.popup) {
      resizeTo(w, width ? e.width() : w.wantWidth, height ? e.height() : w.wantHeight);
    }
  }

  private void onMapNotify(X11Event.MapNotify e) throws IOException {
    TrackedWindow w = windows.get(e.window());
    if (w == null) {
      if (e.overrideRedirect()) {
        trackPopup(e.window());
      } else {
        manage(e.window(), true); // mapped before the manager selected the redirect
      }
    } else if (!w.popup && w.state == State.PLACED) {
      w.state = State.MAPPED;
      mapped(w);
    }
  }

  private void trackPopup(int window) throws IOException {
    if (window == checkWindow || windows.values().stream().filter(t -> t.popup).count() >= MAX_POPUPS) {
      return;
    }
    Geometry g = geometry(window);
    if (g == null) {
      return;
    }
    TrackedWindow p = new TrackedWindow(window, true);
    p.setGeometry(g.x(), g.y(), g.width() + 2 * g.borderWidth(), g.height() + 2 * g.borderWidth());
    p.transientFor = properties.transientFor(window);
    p.state = State.MAPPED;
    windows.put(window, p);
    mapped(p);
  }

  /** UnmapNotify or DestroyNotify. A client unmapping its window withdraws it (ICCCM). */
  private void onGone(int window, boolean destroyed) throws IOException {
    TrackedWindow w = windows.get(window);
    if (w == null || (!destroyed && !w.popup && w.state != State.MAPPED)) {
      return;
    }
    windows.remove(window);
    packer.remove(window);
    if (!destroyed && !w.popup) {
      conn.send(X11Requests.changeProperty32(window, atoms.wmState, atoms.wmState, WM_STATE_WITHDRAWN, 0), false);
    }
    if (w.state == State.MAPPED) {
      dirty = true;
      notify(() -> listener.onUnmapped(window));
    }
    warnedFull = false;
    retryPending();
  }

  private void onConfigureNotify(X11Event.ConfigureNotify e) {
    TrackedWindow w = windows.get(e.window());
    int border = 2 * e.borderWidth();
    if (w != null && w.setGeometry(e.x(), e.y(), e.width() + border, e.height() + border) && w.state == State.MAPPED) {
      changed(w);
    }
  }

  private void retryPending() throws IOException {
    for (TrackedWindow w : List.copyOf(windows.values())) {
      if (!w.popup && w.state == State.PENDING) {
        Optional<Rect> spot = packer.place(w.id, w.wantWidth, w.wantHeight);
        if (spot.isPresent()) {
          show(w, spot.get(), false);
        }
      }
    }
  }

  private void sendProtocol(int window, int protocol) throws IOException {
    ByteBuffer message = X11Requests.clientMessage(window, atoms.wmProtocols, protocol, lastTime);
    conn.send(X11Requests.sendEvent(window, 0, message), false);
  }

  private Geometry geometry(int window) throws IOException {
    ByteBuffer reply = conn.roundTrip(X11Requests.getGeometry(window));
    return reply == null ? null : X11Replies.geometry(reply);
  }

  private XWindow describe(TrackedWindow w) {
    if (w.popup) {
      return new XWindow(w.id, w.x, w.y, w.width, w.height, "", XWindow.Kind.POPUP, popupParent(w));
    }
    TrackedWindow parent = managed(w.transientFor);
    boolean dialog = parent != null && parent != w;
    return new XWindow(w.id, w.x, w.y, w.width, w.height, w.title,
        dialog ? XWindow.Kind.TRANSIENT : XWindow.Kind.NORMAL, dialog ? parent.id : 0);
  }

  private int popupParent(TrackedWindow p) {
    TrackedWindow owner = managed(p.transientFor);
    if (owner != null && owner.state == State.MAPPED) {
      return owner.id;
    }
    int best = 0;
    long bestArea = 0;
    for (TrackedWindow w : windows.values()) {
      long area = w.popup || w.state != State.MAPPED ? 0 : p.overlapArea(w);
      if (area > bestArea) {
        best = w.id;
        bestArea = area;
      }
    }
    return best;
  }

  private void mapped(TrackedWindow w) {
    dirty = true;
    XWindow x = describe(w);
    notify(() -> listener.onMapped(x));
  }

  private void changed(TrackedWindow w) {
    dirty = true;
    XWindow x = describe(w);
    notify(() -> listener.onChanged(x));
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("window listener failed", e);
    }
  }
}
