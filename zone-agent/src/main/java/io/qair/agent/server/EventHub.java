package io.qair.agent.server;

import io.qair.protocol.agent.QubeStatus;
import io.vertx.core.http.ServerWebSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans qube state changes out to every {@code /v1/events} WebSocket. A subscriber that does not
 * keep up is disconnected (the master reconnects and re-reads {@code /v1/qubes}); an agent never
 * buffers without bound for a slow peer.
 */
final class EventHub {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  private final Set<ServerWebSocket> subscribers = ConcurrentHashMap.newKeySet();

  void subscribe(ServerWebSocket ws) {
    subscribers.add(ws);
    ws.closeHandler(v -> subscribers.remove(ws));
    ws.exceptionHandler(e -> subscribers.remove(ws));
    // the master only listens on this socket
    ws.handler(b -> {});
  }

  void publish(QubeStatus status) {
    String json = AgentJson.write(status).toString();
    for (ServerWebSocket ws : subscribers) {
      if (ws.writeQueueFull()) {
        LOG.warn("events subscriber too slow, disconnecting it");
        subscribers.remove(ws);
        ws.close((short) 1008, "too slow");
      } else {
        ws.writeTextMessage(json);
      }
    }
  }

  int size() {
    return subscribers.size();
  }

  void closeAll() {
    for (ServerWebSocket ws : subscribers) {
      ws.close();
    }
    subscribers.clear();
  }
}
