package io.qair.agent.guest;

import io.qair.agent.spi.CallListener;
import io.qair.agent.spi.ExecListener;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of one qube's guest daemon: its control connection, and the commands started
 * through it. The guest may reconnect (after an agent restart, the listener is re-created at the
 * same path); the newest control connection wins.
 */
public final class GuestSession implements GuestListener.Handler, AutoCloseable {
  /** Most commands a qube may have starting at once. */
  static final int MAX_PENDING = 64;
  private static final Logger LOG = LoggerFactory.getLogger(GuestSession.class);

  private final String qube;
  private final Runnable onControlLost;
  private final CallListener calls;
  private final GuestListener listener;
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final Map<Integer, CompletableFuture<GuestConnection>> pending = new ConcurrentHashMap<>();
  private volatile CompletableFuture<GuestConnection> control = new CompletableFuture<>();

  private GuestSession(String qube, Path socket, int ownerUid, Runnable onControlLost, CallListener calls) {
    this.qube = qube;
    this.onControlLost = onControlLost;
    this.calls = calls;
    this.listener = GuestListener.open(qube, socket, ownerUid, this);
  }

  /**
   * Listens on {@code socket} for the qube's guest; {@code onControlLost} runs when it hangs up;
   * the qube's qrexec calls go to {@code calls}, with this qube as their source.
   */
  public static GuestSession listen(String qube, Path socket, int ownerUid, Runnable onControlLost,
      CallListener calls) {
    return new GuestSession(qube, socket, ownerUid, onControlLost, calls);
  }

  /** Waits until the guest said HELLO; false on timeout. */
  public boolean awaitHello(long timeoutMillis) {
    try {
      control.get(timeoutMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean connected() {
    return control.isDone() && !control.isCompletedExceptionally();
  }

  /** Starts a command; returns once the guest has opened its data connection. */
  public GuestExec exec(ExecRequest request, ExecListener execListener, long timeoutMillis) {
    execPayload(0, request); // validate before anything is registered
    if (pending.size() >= MAX_PENDING) {
      throw QairException.unavailable("qube " + qube + " has too many commands starting; try again", null);
    }
    int id = nextId.getAndIncrement();
    CompletableFuture<GuestConnection> data = new CompletableFuture<>();
    pending.put(id, data);
    try {
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      GuestConnection c = control.get(timeoutMillis, TimeUnit.MILLISECONDS);
      c.send(new Frame(request.asRoot() ? FrameType.EXEC_ROOT : FrameType.EXEC, execPayload(id, request)));
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
      return new GuestExec(qube, id, data.get(left, TimeUnit.MILLISECONDS), execListener);
    } catch (TimeoutException | ExecutionException | IOException e) {
      throw QairException.unavailable("qube " + qube + " did not start the command: its guest daemon does not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QairException.unavailable("interrupted while starting a command in " + qube, e);
    } finally {
      pending.remove(id);
    }
  }

  /** Validates and encodes an exec request for the guest. */
  static byte[] execPayload(int id, ExecRequest request) {
    if (request == null || request.argv() == null || request.argv().isEmpty() || request.argv().get(0).isEmpty()) {
      throw QairException.badRequest("an exec request needs a command: argv must not be empty");
    }
    if (request.user() != null && !request.asRoot() && !ExecRequest.USER.equals(request.user())) {
      throw QairException.badRequest("an exec request's user must be 'user' or 'root'");
    }
    List<String> env = new ArrayList<>();
    if (request.env() != null) {
      for (Map.Entry<String, String> e : request.env().entrySet()) {
        if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0 || e.getValue() == null) {
          throw QairException.badRequest("invalid environment variable name '" + e.getKey() + "'");
        }
        env.add(e.getKey() + "=" + e.getValue());
      }
    }
    if (request.argv().size() > 1024 || env.size() > 1024) {
      throw QairException.badRequest("an exec request may have at most 1024 arguments and 1024 variables");
    }
    byte[] payload;
    try {
      payload = FrameDecoder.execPayload(id, request.argv(), env);
    } catch (IllegalArgumentException e) {
      throw QairException.badRequest("an exec argument or variable contains a NUL byte");
    }
    if (payload.length > Frame.MAX_PAYLOAD) {
      throw QairException.badRequest("the command line is longer than " + Frame.MAX_PAYLOAD + " bytes");
    }
    return payload;
  }

  @Override
  public void onControl(GuestConnection connection, String version) {
    LOG.debug("qube {}: guest connected ({})", qube, version);
    synchronized (this) {
      CompletableFuture<GuestConnection> current = control;
      if (current.isDone()) {
        current.thenAccept(GuestConnection::close);
        control = CompletableFuture.completedFuture(connection);
      } else {
        current.complete(connection);
      }
    }
    try {
      // The guest sends nothing else on this connection today: read until it hangs up.
      for (Optional<Frame> f = connection.read(); f.isPresent(); f = connection.read()) {
        LOG.debug("qube {}: ignoring {} on the control connection", qube, f.get().type());
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("qube {}: control connection broke: {}", qube, e.toString());
    }
    connection.close();
    synchronized (this) {
      if (control.getNow(null) == connection) {
        control = new CompletableFuture<>();
      }
    }
    onControlLost.run();
  }

  @Override
  public void onData(int id, GuestConnection connection) {
    CompletableFuture<GuestConnection> f = pending.remove(id);
    if (f == null || !f.complete(connection)) {
      connection.close();
    }
  }

  @Override
  public void onCall(byte[] untrustedRequest, GuestConnection connection) {
    try {
      calls.onCall(qube, untrustedRequest, connection);
    } catch (RuntimeException e) {
      LOG.warn("qube {}: qrexec call failed", qube, e);
    } finally {
      connection.close();
    }
  }

  @Override
  public void close() {
    listener.close();
    control.thenAccept(GuestConnection::close);
    control.completeExceptionally(new IllegalStateException("closed"));
  }
}
