package io.qair.desktop.web;

import io.qair.desktop.auth.Session;
import io.qair.desktop.master.MasterEvent;
import io.qair.desktop.master.MasterEvents;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code GET /api/events}: Server-Sent Events for one page. It relays the master's events that
 * the desktop shows (qube and zone changes, policy asks; from the gateway's one upstream
 * connection, {@link MasterEvents}) and the session's own notices (an application that failed).
 * A page that does not keep up is disconnected (its EventSource reconnects and refreshes).
 */
final class EventStream {
  static final long KEEPALIVE_MS = 15_000;
  private static final Set<String> RELAYED_PREFIXES = Set.of("qube-", "zone-", "policy-ask", "property-", "master-");

  private final Vertx vertx;
  private final MasterEvents events;

  EventStream(Vertx vertx, MasterEvents events) {
    this.vertx = vertx;
    this.events = events;
  }

  void handle(RoutingContext ctx) {
    Session session = SessionGuard.session(ctx);
    HttpServerResponse resp = ctx.response();
    Context context = vertx.getOrCreateContext();
    resp.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store");
    resp.write(": qair desktop events\n\n");
    Consumer<MasterEvent> fromMaster = e -> {
      if (relayed(e.type())) {
        context.runOnContext(v -> send(resp, e.type(), e.toJson().encode()));
      }
    };
    Consumer<Session.DesktopEvent> fromSession = e -> context.runOnContext(v -> send(resp, e.type(), e.json()));
    long timer = vertx.setPeriodic(KEEPALIVE_MS, t -> {
      if (!resp.closed()) {
        resp.write(": keepalive\n\n");
      }
    });
    Runnable end = () -> context.runOnContext(v -> {
      if (!resp.ended() && !resp.closed()) {
        resp.end();
      }
    });
    Runnable stop = () -> {
      vertx.cancelTimer(timer);
      events.unsubscribe(fromMaster);
      session.unlisten(fromSession);
      session.remove(end);
    };
    events.subscribe(fromMaster);
    session.listen(fromSession);
    session.onClose(end);
    resp.closeHandler(v -> stop.run());
    resp.endHandler(v -> stop.run());
  }

  private static boolean relayed(String type) {
    for (String p : RELAYED_PREFIXES) {
      if (type.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static void send(HttpServerResponse resp, String type, String json) {
    if (resp.closed() || resp.ended()) {
      return;
    }
    if (resp.writeQueueFull()) {
      resp.reset();
      return;
    }
    // type is [a-z-]; json is one line (JSON escapes newlines)
    resp.write("event: " + type + "\ndata: " + json + "\n\n");
  }
}
