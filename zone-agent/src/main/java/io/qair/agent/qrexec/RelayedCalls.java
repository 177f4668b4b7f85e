package io.qair.agent.qrexec;

import io.qair.agent.spi.CallChannel;
import io.qair.protocol.qrexec.ExitCodes;
import io.qair.protocol.qrexec.Frame;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls whose target is in another zone: the master opens {@code /v1/qrexec/calls/{id}} on this
 * agent and carries the frames between that socket and the target's agent. A socket is accepted
 * only for a call of this zone that is waiting for its decision or was allowed with {@code relay},
 * and only once; the call waits for it at most {@link #SOCKET_TIMEOUT_MS}. Thread-safe.
 */
public final class RelayedCalls {
  static final long SOCKET_TIMEOUT_MS = 30_000;

  private final ExecutorService pool;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  private record Waiting(CompletableFuture<ServerWebSocket> socket, CompletableFuture<Context> context) {}

  public RelayedCalls(ExecutorService pool) {
    this.pool = pool;
  }

  /** Call {@code id} is about to be asked: a data socket for it may come from now on. */
  void expect(String id) {
    waiting.put(id, new Waiting(new CompletableFuture<>(), new CompletableFuture<>()));
  }

  /** Call {@code id} will not be relayed (or is over): a socket for it is refused. */
  void forget(String id) {
    Waiting w = waiting.remove(id);
    if (w != null && w.socket().isDone() && !w.socket().isCompletedExceptionally()) {
      w.socket().join().close((short) 1000, "the call is over");
    }
  }

  /** Whether a data socket for {@code id} is expected (and none has come yet). */
  public boolean expects(String id) {
    Waiting w = waiting.get(id);
    return w != null && !w.socket().isDone();
  }

  /**
   * The master's data socket for call {@code id}, on its event loop. It is paused until the call
   * takes it. Returns false (and closes it) if no call waits for it.
   */
  public boolean attach(String id, ServerWebSocket ws, Context context) {
    ws.pause();
    Waiting w = waiting.get(id);
    if (w == null || !w.socket().complete(ws)) {
      ws.close((short) 1008, "no such call");
      return false;
    }
    w.context().complete(context);
    return true;
  }

  /**
   * Relays call {@code id} between the caller and the master's data socket (waiting for it) and
   * returns the exit code the caller got. Blocks for the whole call.
   */
  int relay(String id, String target, CallChannel caller) {
    Waiting w = waiting.get(id);
    if (w == null) {
      return refuse(caller, "internal error: the call was not expected");
    }
    ServerWebSocket ws;
    Context context;
    try {
      ws = w.socket().get(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      context = w.context().get();
    } catch (TimeoutException e) {
      return refuse(caller, "the master did not connect the call to " + target + " within "
          + SOCKET_TIMEOUT_MS / 1000 + " s");
    } catch (ExecutionException e) {
      return refuse(caller, "the call to " + target + " could not be connected");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refuse(caller, "interrupted");
    } finally {
      waiting.remove(id);
    }
    return new RelayedCall(ws, context, caller, target, pool).run();
  }

  static int refuse(CallChannel caller, String why) {
    try {
      caller.send(Frame.error(why));
      caller.send(Frame.exit(ExitCodes.REFUSED));
    } catch (IOException e) {
      // the caller is gone
    }
    return ExitCodes.REFUSED;
  }
}
