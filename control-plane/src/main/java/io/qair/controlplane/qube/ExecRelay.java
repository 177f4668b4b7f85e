package io.qair.controlplane.qube;

import io.qair.protocol.qrexec.ExitCodes;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.util.function.Supplier;

/**
 * Relays binary messages both ways between the client's exec WebSocket and the agent's, one
 * message per qrexec frame, with back-pressure: a side whose peer cannot keep up is paused until
 * the peer drains. When the client closes or fails, the agent is closed (the command is stopped).
 * When the agent's side ends, the client is closed only after the agent's EXIT frame has been
 * relayed: a paused agent socket may still hold frames when its connection is already gone, so
 * the relay then waits for EXIT until no frame has come for {@link #EXIT_GRACE_MS} (a socket that
 * was not paused holds none: the relay ends at once). With a {@code lostMessage}, a client whose
 * agent went away without EXIT gets an ERROR frame saying so and EXIT 126.
 */
public final class ExecRelay {
  /** How long to wait for frames still queued after the agent's connection went. */
  static final long EXIT_GRACE_MS = 5_000;
  /** Bytes a side may queue before its peer is paused: 16 frames, so a stream pipelines. */
  static final int WRITE_QUEUE = 16 * (Frame.HEADER + Frame.MAX_PAYLOAD);

  private final Vertx vertx;
  private final WebSocketBase client;
  private final WebSocketBase agent;
  private final Supplier<Future<Void>> beforeExit;
  private final String lostMessage;
  private final Promise<Void> done = Promise.promise();
  private Buffer exitFrame;
  private boolean agentPaused;
  private boolean agentGone;
  private boolean finishing;
  private long lastAgentMessage = System.nanoTime();

  private ExecRelay(Vertx vertx, WebSocketBase client, WebSocketBase agent, Supplier<Future<Void>> beforeExit,
      String lostMessage) {
    this.vertx = vertx;
    this.client = client;
    this.agent = agent;
    this.beforeExit = beforeExit;
    this.lostMessage = lostMessage;
  }

  /** Starts relaying (resuming both sockets); completes when both sides are closed. */
  public static Future<Void> relay(Vertx vertx, WebSocketBase client, WebSocketBase agent) {
    return relay(vertx, client, agent, (Supplier<Future<Void>>) null);
  }

  /**
   * As {@link #relay(Vertx, WebSocketBase, WebSocketBase)}, but the agent's EXIT frame is held back
   * until {@code beforeExit} (e.g. destroying a disposable) has completed, so that when the client
   * learns the exit code, the work around the call is done.
   */
  public static Future<Void> relay(Vertx vertx, WebSocketBase client, WebSocketBase agent,
      Supplier<Future<Void>> beforeExit) {
    ExecRelay r = new ExecRelay(vertx, client, agent, beforeExit, null);
    r.start();
    return r.done.future();
  }

  /**
   * As {@link #relay(Vertx, WebSocketBase, WebSocketBase)}; if the agent's side ends without EXIT,
   * the client gets ERROR {@code lostMessage} and EXIT 126 before it is closed.
   */
  public static Future<Void> relayCall(Vertx vertx, WebSocketBase client, WebSocketBase agent, String lostMessage) {
    ExecRelay r = new ExecRelay(vertx, client, agent, null, lostMessage);
    r.start();
    return r.done.future();
  }

  private void start() {
    if (client.isClosed() || agent.isClosed()) {
      // one side went before the relay began (its handlers can no longer be set): end the call
      agentGone = true;
      if (client.isClosed()) {
        closeAgent();
      } else {
        finish();
      }
      return;
    }
    client.setWriteQueueMaxSize(WRITE_QUEUE);
    agent.setWriteQueueMaxSize(WRITE_QUEUE);
    forward(client, agent, false);
    forward(agent, client, true);
    // the client finished or went away: nothing more can be delivered to it either way
    client.endHandler(v -> closeAgent());
    client.closeHandler(v -> closeAgent());
    client.exceptionHandler(e -> closeAgent());
    agent.endHandler(v -> agentGone());
    agent.closeHandler(v -> agentGone());
    agent.exceptionHandler(e -> agentGone());
    client.textMessageHandler(text -> { }); // only the first message is text; ignore any others
    agent.textMessageHandler(text -> { });
    client.resume();
    agent.resume();
  }

  private void forward(WebSocketBase from, WebSocketBase to, boolean fromAgent) {
    from.binaryMessageHandler((Buffer b) -> {
      if (fromAgent) {
        lastAgentMessage = System.nanoTime();
      }
      if (to.isClosed() || finishing) {
        return;
      }
      if (fromAgent && b.length() > 0 && (b.getByte(0) & 0xff) == FrameType.EXIT.code()) {
        exitFrame = b;
        finish();
        return;
      }
      to.writeBinaryMessage(b);
      if (to.writeQueueFull()) {
        from.pause();
        agentPaused |= fromAgent;
        to.drainHandler(v -> {
          if (fromAgent) {
            agentPaused = false;
          }
          from.resume();
        });
      }
    });
  }

  private void agentGone() {
    if (agentGone) {
      return;
    }
    agentGone = true;
    if (exitFrame == null && !agentPaused) {
      finish(); // nothing can be queued behind a socket that was not paused
    } else if (exitFrame == null) {
      // frames may still be queued behind a paused socket (and are delivered as the client
      // drains): give up only when none has come for EXIT_GRACE_MS
      vertx.setPeriodic(EXIT_GRACE_MS / 5, t -> {
        if (finishing) {
          vertx.cancelTimer(t);
        } else if (System.nanoTime() - lastAgentMessage > EXIT_GRACE_MS * 1_000_000) {
          vertx.cancelTimer(t);
          finish();
        }
      });
    }
  }

  /** The agent's part is over: run the hook, deliver EXIT (if any), close both sides. */
  private void finish() {
    if (finishing) {
      return;
    }
    finishing = true;
    Future<Void> hook = beforeExit == null ? Future.succeededFuture() : beforeExit.get();
    hook.onComplete(ar -> {
      if (exitFrame != null && !client.isClosed()) {
        client.writeBinaryMessage(exitFrame);
      } else if (exitFrame == null && lostMessage != null && !client.isClosed()) {
        client.writeBinaryMessage(Buffer.buffer(Frame.error(lostMessage).encode()));
        client.writeBinaryMessage(Buffer.buffer(Frame.exit(ExitCodes.REFUSED).encode()));
      }
      closeQuietly(agent);
      closeQuietly(client).onComplete(x -> done.tryComplete());
    });
  }

  private void closeAgent() {
    closeQuietly(agent).onComplete(x -> {
      if (beforeExit != null) {
        finish(); // the client went away: the work around the call is still done
      } else {
        done.tryComplete();
      }
    });
  }

  private static Future<Void> closeQuietly(WebSocketBase ws) {
    return ws.isClosed() ? Future.succeededFuture() : ws.close().recover(e -> Future.succeededFuture());
  }
}
