package io.qair.agent.display;

import io.qair.agent.display.x11.WindowManager;
import io.qair.agent.spi.DisplayEndpoint;
import io.qair.agent.spi.IsolationBackend;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.QubeStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zone's displays: becomes the window manager of every GUI qube as soon as its X server is up
 * (so windows are placed even before anyone watches) and lets it go when the qube stops.
 */
public final class DisplayHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DisplayHub.class);
  /** How long a starting qube's X server may take to create its socket. */
  static final long X_SOCKET_WAIT_MS = 15_000;

  private final IsolationBackend backend;
  private final Map<String, QubeDisplay> displays = new ConcurrentHashMap<>();
  private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "display-wm-start");
    t.setDaemon(true);
    return t;
  });

  private DisplayHub(IsolationBackend backend) {
    this.backend = backend;
  }

  /** Watches {@code backend}'s qubes; call before {@link IsolationBackend#recover}. */
  public static DisplayHub create(IsolationBackend backend) {
    System.setProperty("java.awt.headless", "true");
    DisplayHub hub = new DisplayHub(backend);
    backend.onStateChange(hub::onState);
    return hub;
  }

  private void onState(QubeStatus s) {
    QubeState state = QubeState.valueOf(s.state());
    if (state == QubeState.RUNNING) {
      starter.execute(() -> {
        try {
          display(s.name());
        } catch (RuntimeException e) {
          LOG.debug("qube {}: no window manager: {}", s.name(), e.getMessage());
        }
      });
    } else if (state != QubeState.STARTING) {
      QubeDisplay d = displays.remove(s.name());
      if (d != null) {
        d.close();
      }
    }
  }

  /**
   * The display of a running qube, its window manager started if needed. Blocks up to
   * {@link #X_SOCKET_WAIT_MS} while the X server comes up. NOT_FOUND / CONFLICT as the backend says;
   * CONFLICT for a qube without a display.
   */
  QubeDisplay display(String qube) {
    QubeDisplay d = displays.get(qube);
    if (d != null && !d.closed()) {
      return d;
    }
    Optional<DisplayEndpoint> ep = backend.display(qube);
    if (ep.isEmpty()) {
      throw QairException.conflict("qube " + qube + " has no display (its gui feature is off)");
    }
    synchronized (this) {
      d = displays.get(qube);
      if (d != null && !d.closed()) {
        return d;
      }
      QubeDisplay fresh = new QubeDisplay(qube, ep.get());
      long deadline = System.currentTimeMillis() + X_SOCKET_WAIT_MS;
      while (!(Files.exists(ep.get().x11Socket()) && Files.exists(ep.get().rfbSocket()))) {
        if (System.currentTimeMillis() > deadline) {
          throw QairException.unavailable("the X server of qube " + qube + " did not come up in "
              + X_SOCKET_WAIT_MS / 1000 + " s; restart the qube", null);
        }
        sleep(50);
      }
      IOException last = null;
      for (int attempt = 0; attempt < 40; attempt++) {
        try {
          fresh.attachWindowManager(WindowManager.start(ep.get().x11Socket(), null, fresh));
          displays.put(qube, fresh);
          LOG.info("qube {}: managing its windows", qube);
          return fresh;
        } catch (IOException e) {
          last = e; // the socket exists a moment before the server accepts
          sleep(100);
        }
      }
      throw QairException.unavailable("cannot manage the windows of qube " + qube + ": " + last.getMessage(), last);
    }
  }

  /** A viewer's RFB connection, made before its WebSocket is accepted. */
  public final class Connection {
    private final io.qair.agent.display.rfb.RfbClient rfb;
    private final DisplaySession session;

    private Connection(DisplaySession session, io.qair.agent.display.rfb.RfbClient rfb) {
      this.session = session;
      this.rfb = rfb;
    }

    /** Starts streaming to {@code send}; {@code hangUp} closes the viewer's connection. */
    public DisplaySession start(java.util.function.Consumer<String> send, Runnable hangUp) {
      session.bind(send, hangUp);
      session.open(rfb);
      return session;
    }

    /** The viewer never came: release the RFB connection. */
    public void abandon() {
      rfb.close();
    }
  }

  /**
   * Prepares a viewer of {@code qube}: its display (window manager started if needed) and a new RFB
   * connection to its X server. Blocks.
   */
  public Connection connect(String qube) {
    QubeDisplay d = display(qube);
    DisplaySession session = new DisplaySession(d);
    try {
      io.qair.agent.display.rfb.RfbClient rfb = io.qair.agent.display.rfb.RfbClient.connect(
          d.endpoint.rfbSocket(), session, io.qair.agent.display.rfb.RfbLimits.defaults());
      return new Connection(session, rfb);
    } catch (IOException | RuntimeException e) {
      throw QairException.unavailable("cannot read the display of qube " + qube + ": " + e.getMessage(), e);
    }
  }

  /** Starts the window manager of every running GUI qube (after an agent restart). */
  public void adoptRunning() {
    for (QubeStatus s : backend.list()) {
      if (QubeState.RUNNING.name().equals(s.state())) {
        onState(s);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QairException.unavailable("interrupted", e);
    }
  }

  @Override
  public void close() {
    starter.shutdownNow();
    displays.values().forEach(QubeDisplay::close);
    displays.clear();
  }
}
