package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.events.EncodedEvent;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/**
 * GET /api/v1/events: Server-Sent Events. With {@code Last-Event-ID} the log is replayed first.
 * A client that does not keep up is disconnected (it resumes with {@code Last-Event-ID}) rather
 * than buffered without bound.
 */
final class StreamEvents implements Operation {
  static final long KEEPALIVE_MS = 15_000;

  private final Services s;

  StreamEvents(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    HttpServerResponse resp = request.context().response();
    String last = request.context().request().getHeader("Last-Event-ID");
    long after = last == null ? -1 : Long.parseLong(last.strip());
    resp.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache");
    resp.write(": qair events\n\n");
    return s.events().subscribe(after, e -> send(resp, e)).map(sub -> {
      long timer = s.vertx().setPeriodic(KEEPALIVE_MS, t -> {
        if (!resp.closed()) {
          resp.write(": keepalive\n\n");
        }
      });
      Runnable stop = () -> {
        s.vertx().cancelTimer(timer);
        sub.close();
      };
      if (resp.closed()) {
        stop.run();
      } else {
        resp.closeHandler(v -> stop.run());
        // the master is stopping: end the stream, the client resumes with Last-Event-ID elsewhen
        request.context().request().connection().shutdownHandler(v -> {
          if (!resp.ended()) {
            resp.end();
          }
        });
      }
      return Reply.HANDLED;
    });
  }

  private static void send(HttpServerResponse resp, EncodedEvent e) {
    if (resp.closed()) {
      return;
    }
    if (resp.writeQueueFull()) {
      resp.reset();
      return;
    }
    resp.write("id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + e.json() + "\n\n");
  }
}
