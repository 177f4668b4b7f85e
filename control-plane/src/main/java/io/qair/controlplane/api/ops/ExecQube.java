package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * GET /api/v1/qubes/{qube}/exec (WebSocket). What can be checked before the upgrade is answered
 * as plain HTTP (bad name, no such qube); the rest happens in an {@link ExecSession}.
 */
final class ExecQube implements Operation {
  private final Services s;

  ExecQube(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    HttpServerRequest http = request.context().request();
    if (!"websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
      throw QairException.badRequest("exec is a WebSocket: connect with a WebSocket client (`qair run`)");
    }
    String target = request.path("qube");
    String dispTemplate = s.disposables().templateOf(target);
    Future<Void> known = dispTemplate != null
        ? Future.succeededFuture()
        : s.blocking(() -> s.store().read(tx -> tx.requireQube(Names.requireQubeName(target)))).mapEmpty();
    http.pause();
    return known.compose(v -> http.toWebSocket()).map(ws -> {
      new ExecSession(s, ws, dispTemplate != null ? null : target, dispTemplate, !"0".equals(http.getParam("gui"))).run();
      return Reply.HANDLED;
    });
  }
}
