package io.qair.agent.display.x11;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WindowManager} over one {@link X11Connection}: becomes the manager (SubstructureRedirect on
 * the root, EWMH check window), then runs the event thread, which alone speaks X: it handles the
 * server's events and the commands queued by the public methods, in {@link ManagedWindows}.
 */
final class X11WindowManager implements WindowManager {
  private static final Logger LOG = LoggerFactory.getLogger(X11WindowManager.class);
  private static final int SUBSTRUCTURE_NOTIFY = 1 << 19;
  private static final int SUBSTRUCTURE_REDIRECT = 1 << 20;

  private interface Command {
    void run(ManagedWindows windows) throws IOException;
  }

  private final X11Connection conn;
  private final WindowListener listener;
  private final ManagedWindows windows;
  private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> adopted = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile List<XWindow> snapshot = List.of();

  private X11WindowManager(X11Connection conn, WindowListener listener, ManagedWindows windows, Path socket) {
    this.conn = conn;
    this.listener = listener;
    this.windows = windows;
    this.thread = new Thread(this::run, "x11-wm " + socket);
    thread.setDaemon(true);
  }

  static WindowManager start(Path socket, byte[] cookieOrNull, WindowListener listener, Duration timeout)
      throws IOException {
    X11Connection conn = X11Connection.open(socket, cookieOrNull, timeout);
    try {
      X11Atoms atoms = X11Atoms.intern(conn);
      int checkWindow = becomeManager(conn, atoms, socket);
      X11WindowManager wm = new X11WindowManager(conn, listener, new ManagedWindows(conn, atoms, listener, checkWindow),
          socket);
      wm.thread.start();
      wm.awaitAdoption(timeout.multipliedBy(6));
      return wm;
    } catch (IOException | RuntimeException e) {
      conn.close();
      throw e;
    }
  }

  /** Selects the redirect (refused if another manager has it) and publishes the EWMH check window. */
  private static int becomeManager(X11Connection conn, X11Atoms atoms, Path socket) throws IOException {
    int root = conn.setup().root();
    int seq = conn.send(X11Requests.changeWindowAttributes(root, X11Requests.CW_EVENT_MASK,
        SUBSTRUCTURE_REDIRECT | SUBSTRUCTURE_NOTIFY), false);
    conn.sync();
    for (X11Error e : conn.drainErrors()) {
      if (e.sequence() == seq) {
        throw new X11Exception(e.code() == X11Error.BAD_ACCESS
            ? "another window manager already runs on the X display at " + socket
                + "; stop it: the agent must be the qube's only window manager"
            : "the X server refused to let the agent manage its windows (X error " + e.code() + ")");
      }
    }
    int check = conn.newId();
    conn.send(X11Requests.createWindow(check, root, -100, -100, 1, 1, X11Requests.WINDOW_CLASS_INPUT_ONLY,
        X11Requests.CW_OVERRIDE_REDIRECT, 1), false);
    conn.send(X11Requests.changeProperty32(check, atoms.netSupportingWmCheck, X11Atoms.WINDOW, check), false);
    conn.send(X11Requests.changeProperty(X11Requests.PROP_MODE_REPLACE, check, atoms.netWmName, atoms.utf8String, 8,
        "qair".getBytes(StandardCharsets.UTF_8)), false);
    conn.send(X11Requests.changeProperty32(root, atoms.netSupportingWmCheck, X11Atoms.WINDOW, check), false);
    conn.send(X11Requests.changeProperty32(root, atoms.netSupported, X11Atoms.ATOM, atoms.supported()), false);
    return check;
  }

  private void awaitAdoption(Duration timeout) throws IOException {
    try {
      adopted.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      close();
      throw e.getCause() instanceof IOException io ? io : new X11Exception("adopting windows failed", e.getCause());
    } catch (TimeoutException e) {
      close();
      throw new X11Exception("adopting the existing windows took longer than " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new X11Exception("interrupted while adopting windows", e);
    }
  }

  @Override
  public int screenWidth() {
    return conn.setup().width();
  }

  @Override
  public int screenHeight() {
    return conn.setup().height();
  }

  @Override
  public List<XWindow> windows() {
    return snapshot;
  }

  @Override
  public void resize(int window, int width, int height) {
    submit(w -> w.resize(window, width, height));
  }

  @Override
  public void focus(int window) {
    submit(w -> w.focus(window));
  }

  @Override
  public void close(int window) {
    submit(w -> w.close(window));
  }

  @Override
  public boolean sync(Duration timeout) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    submit(w -> {
      conn.roundTrip(X11Requests.getInputFocus());
      done.complete(null);
    });
    try {
      done.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    conn.wakeup();
    if (Thread.currentThread() != thread && thread.isAlive()) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    conn.close();
  }

  private void submit(Command c) {
    if (!closed) {
      commands.add(c);
      conn.wakeup();
    }
  }

  private void run() {
    Throwable cause = null;
    boolean started = false;
    try {
      windows.adoptExisting();
      publish();
      started = true;
      adopted.complete(null);
      while (!closed) {
        for (Command c; !closed && (c = commands.poll()) != null; ) {
          c.run(windows);
        }
        ByteBuffer event = conn.nextEvent();
        if (event != null) {
          windows.dispatch(X11Event.decode(event));
        }
        for (X11Error e : conn.drainErrors()) {
          LOG.debug("X error {} for request {} (major opcode {}, value 0x{})", e.code(), e.sequence(),
              e.majorOpcode(), Integer.toHexString(e.badValue()));
        }
        publish();
      }
    } catch (Throwable t) {
      if (!closed) {
        cause = t;
        LOG.warn("window manager stopped: {}", t.toString());
      }
      adopted.completeExceptionally(t);
    } finally {
      closed = true;
      conn.close();
      snapshot = List.of();
      if (started) {
        try {
          listener.onClosed(cause);
        } catch (RuntimeException e) {
          LOG.warn("window listener failed on close", e);
        }
      }
    }
  }

  private void publish() {
    List<XWindow> now = windows.takeChanges();
    if (now != null) {
      snapshot = now;
    }
  }
}
