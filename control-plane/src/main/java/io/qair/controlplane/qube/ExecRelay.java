package io.qair.controlplane.qube;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;

/**
 * Relays binary messages both ways between the client's exec WebSocket and the agent's, one
 * message per qrexec frame, with back-pressure: a side whose peer cannot keep up is paused until
 * the peer drains. When either side closes or fails, the other is closed too, but only after
 * every message the closing side sent has been relayed: a WebSocket's close frame is queued
 * behind its messages (and reported by {@code endHandler}), while {@code closeHandler} fires
 * when the connection goes, which may be while earlier messages still wait in a paused socket.
 */
public final class ExecRelay {
  private ExecRelay() {}

  /** Starts relaying (resuming both sockets); completes when both sides are closed. */
  public static Future<Void> relay(WebSocketBase client, WebSocketBase agent) {
    Promise<Void> done = Promise.promise();
    forward(client, agent);
    forward(agent, client);
    // the client finished or went away: nothing more can be delivered to it either way
    client.endHandler(v -> closeOther(agent, done));
    client.closeHandler(v -> closeOther(agent, done));
    // the agent finished: close the client once the agent's last frames (EXIT) are relayed
    agent.endHandler(v -> closeOther(client, done));
    agent.closeHandler(v -> {
      if (agent.closeStatusCode() == null) { // the connection broke without a close frame
        closeOther(client, done);
      }
    });
    client.exceptionHandler(e -> closeOther(agent, done));
    agent.exceptionHandler(e -> closeOther(client, done));
    client.textMessageHandler(text -> { }); // only the first message is text; ignore any others
    agent.textMessageHandler(text -> { });
    client.resume();
    agent.resume();
    return done.future();
  }

  private static void forward(WebSocketBase from, WebSocketBase to) {
    from.binaryMessageHandler((Buffer b) -> {
      if (to.isClosed()) {
        return;
      }
      to.writeBinaryMessage(b);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(v -> from.resume());
      }
    });
  }

  private static void closeOther(WebSocketBase other, Promise<Void> done) {
    if (!other.isClosed()) {
      other.close().onComplete(ar -> done.tryComplete());
    } else {
      done.tryComplete();
    }
  }
}
