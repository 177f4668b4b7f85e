package io.qair.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ErrorBody;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP answer: a {@link QairException} becomes its
 * kind's status and an {@link ErrorBody} with its message; anything else is logged in full and
 * answered 500 with a generic message that points at the log. No stack trace leaves the master.
 */
final class ErrorResponses implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  private static final AtomicLong INCIDENTS = new AtomicLong();

  private final ObjectMapper json;
  private final int bodyLimit;

  ErrorResponses(ObjectMapper json, int bodyLimit) {
    this.json = json;
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    QairException error = toQair(ctx);
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      if (!response.closed()) {
        response.reset();
      }
      return;
    }
    String body;
    try {
      body = json.writeValueAsString(new ErrorBody(error.kind().name(), error.getMessage()));
    } catch (JsonProcessingException e) {
      body = "{\"error\":\"INTERNAL\",\"message\":\"internal error\"}";
    }
    response.setStatusCode(error.kind().httpStatus())
        .putHeader("Content-Type", "application/json")
        .end(body);
  }

  private QairException toQair(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof QairException q && q.kind() != ErrorKind.INTERNAL) {
      return q;
    }
    int status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    if (failure == null || failure instanceof HttpException) {
      switch (status) {
        case 401:
          return new QairException(ErrorKind.UNAUTHENTICATED, "authentication required");
        case 404:
          return QairException.notFound("no such API path: " + ctx.request().method() + " "
              + Names.printable(ctx.request().path()) + " (see docs/admin-api/openapi.yaml)");
        case 405:
          return QairException.badRequest("method " + ctx.request().method() + " is not allowed on "
              + Names.printable(ctx.request().path()));
        case 413:
          return new QairException(ErrorKind.TOO_LARGE, "the request body is larger than " + (bodyLimit / 1024)
              + " KiB: send less");
        case 400:
          return QairException.badRequest("invalid request");
        default:
          break;
      }
    }
    long incident = INCIDENTS.incrementAndGet();
    LOG.error("incident {}: {} {} failed", incident, ctx.request().method(), ctx.request().path(), failure);
    return new QairException(ErrorKind.INTERNAL,
        "internal error (incident " + incident + "): the master's log has the details");
  }
}
