package io.qair.desktop.web;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP answer: {@code {"error": KIND, "message": ...}}
 * with the kind's status (429 for a closed login throttle). Anything that is not a
 * {@link QairException} is logged and answered generically.
 */
final class ErrorHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse resp = ctx.response();
    if (resp.headWritten() || resp.closed()) {
      if (!resp.closed()) {
        resp.reset();
      }
      return;
    }
    QairException e = toQair(ctx);
    int status = e instanceof LoginHandler.ThrottledException ? 429 : e.kind().httpStatus();
    resp.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", e.kind().name()).put("message", e.getMessage()).encode());
  }

  private static QairException toQair(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof QairException q && q.kind() != ErrorKind.INTERNAL) {
      return q;
    }
    int status = f instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    switch (status) {
      case 400:
        return QairException.badRequest("malformed request");
      case 404:
        return QairException.notFound("no such page: " + ctx.request().path());
      case 405:
        return QairException.badRequest("method not allowed here");
      case 413:
        return new QairException(ErrorKind.TOO_LARGE, "request body too large");
      default:
        LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), f);
        return new QairException(ErrorKind.INTERNAL, "internal error: the gateway's log has the details");
    }
  }
}
