package io.qair.controlplane.qube;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;

/**
 * Relays binary messages both ways between the client's exec WebSocket and the agent's, one
 * message per qrexec frame, with back-pressure: a side whose peer cannot keep up is paused until
 * the peer drains. When either side closes or fails, the other is closed too.
 */
public final class ExecRelay {
  private ExecRelay() {}

  /** Starts relaying (resuming both sockets); completes when both sides are closed. */
  public static Future<Void> relay(WebSocketBase client, WebSocketBase agent) {
    Promise<Void> done = Promise.promise();
    forward(client, agent);
    forward(agent, client);
    client.closeHandler(v -> closeOther(agent, done));
    agent.closeHandler(v -> closeOther(client, done));
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
