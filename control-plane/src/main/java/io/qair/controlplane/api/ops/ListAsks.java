package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.qrexec.PolicyViews;
import io.vertx.core.Future;

/** GET /api/v1/policy/asks: the {@code ask} questions waiting for an answer, oldest first. */
final class ListAsks implements Operation {
  private final Services s;

  ListAsks(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    return Future.succeededFuture(Reply.ok(s.asks().pending().stream().map(PolicyViews::ask).toList()));
  }
}
