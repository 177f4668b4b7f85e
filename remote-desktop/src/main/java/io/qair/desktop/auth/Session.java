package io.qair.desktop.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One logged-in browser: its CSRF token, when it was last used, the desktop's global clipboard
 * and what to close when it ends (tunnels, event streams). Thread-safe: tunnels run on several
 * event loops.
 */
public final class Session {
  private final String id;
  private final String csrfToken;
  private final Instant created;
  private volatile Instant lastSeen;
  private volatile boolean closed;
  private Clipboard clipboard;
  private final java.util.concurrent.atomic.AtomicInteger tunnels = new java.util.concurrent.atomic.AtomicInteger();
  private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
  private final List<Consumer<DesktopEvent>> listeners = new CopyOnWriteArrayList<>();

  /** What was copied: the qube it came from and the text (at most {@code MAX_BYTES} of UTF-8). */
  public record Clipboard(String sourceQube, String text) {
    public int codePoints() {
      return text.codePointCount(0, text.length());
    }
  }

  /** A notice for this session's page, sent on its event stream. */
  public record DesktopEvent(String type, String json) {}

  Session(String id, String csrfToken, Instant now) {
    this.id = id;
    this.csrfToken = csrfToken;
    this.created = now;
    this.lastSeen = now;
  }

  public String id() {
    return id;
  }

  public String csrfToken() {
    return csrfToken;
  }

  Instant created() {
    return created;
  }

  Instant lastSeen() {
    return lastSeen;
  }

  void touch(Instant now) {
    lastSeen = now;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Replaces the global clipboard. */
  public synchronized void copy(Clipboard c) {
    clipboard = c;
  }

  /** Takes the clipboard for a paste: afterwards it is empty until {@link #restore} or a new copy. */
  public synchronized Optional<Clipboard> take() {
    Clipboard c = clipboard;
    clipboard = null;
    return Optional.ofNullable(c);
  }

  /** Puts back a clipboard whose paste did not happen, unless something was copied meanwhile. */
  public synchronized void restore(Clipboard c) {
    if (clipboard == null) {
      clipboard = c;
    }
  }

  public synchronized Optional<Clipboard> peek() {
    return Optional.ofNullable(clipboard);
  }

  /** Counts a new tunnel; false (and nothing counted) when {@code max} are open already. */
  public boolean reserveTunnel(int max) {
    if (tunnels.incrementAndGet() > max) {
      tunnels.decrementAndGet();
      return false;
    }
    return true;
  }

  public void releaseTunnel() {
    tunnels.decrementAndGet();
  }

  /** Runs {@code r} when the session ends (logout, expiry); at once if it has ended. */
  public void onClose(Runnable r) {
    onClose.add(r);
    if (closed) {
      remove(r);
      r.run();
    }
  }

  public void remove(Runnable r) {
    onClose.remove(r);
  }

  public void listen(Consumer<DesktopEvent> l) {
    listeners.add(l);
  }

  public void unlisten(Consumer<DesktopEvent> l) {
    listeners.remove(l);
  }

  /** Tells this session's pages. */
  public void notify(DesktopEvent e) {
    for (Consumer<DesktopEvent> l : listeners) {
      l.accept(e);
    }
  }

  void close() {
    closed = true;
    synchronized (this) {
      clipboard = null;
    }
    for (Runnable r : onClose) {
      onClose.remove(r);
      try {
        r.run();
      } catch (RuntimeException e) {
        // closing one thing must not keep the others open
      }
    }
    listeners.clear();
  }
}
