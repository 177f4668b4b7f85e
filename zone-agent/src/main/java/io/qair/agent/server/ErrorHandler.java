package io.qair.agent.server;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ErrorBody;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where the agent API turns failures into {@link ErrorBody} answers. */
final class ErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  private ErrorHandler() {}

  static void handle(RoutingContext ctx) {
    Throwable t = ctx.failure();
    QairException q;
    if (t instanceof QairException e) {
      q = e;
    } else if (t == null) {
      q = forStatus(ctx.statusCode());
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
      q = new QairException(ErrorKind.INTERNAL, "internal error in the zone agent; see its log");
    }
    if (q.kind() == ErrorKind.INTERNAL && t instanceof QairException) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
    }
    send(ctx, q);
  }

  static void send(RoutingContext ctx, QairException q) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(q.kind().httpStatus())
        .putHeader("content-type", "application/json")
        .end(AgentJson.write(new ErrorBody(q.kind().name(), q.getMessage())));
  }

  static QairException forStatus(int status) {
    return switch (status) {
      case 404 -> QairException.notFound("no such endpoint");
      case 405 -> new QairException(ErrorKind.BAD_REQUEST, "method not allowed on this endpoint");
      case 413 -> new QairException(ErrorKind.TOO_LARGE, "request body too large");
      case 400 -> QairException.badRequest("bad request");
      default -> new QairException(ErrorKind.fromHttpStatus(status), "request failed (" + status + ")");
    };
  }
}
