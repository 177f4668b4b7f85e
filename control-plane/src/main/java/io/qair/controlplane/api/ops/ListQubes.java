package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.vertx.core.Future;

/** GET /api/v1/qubes. */
final class ListQubes implements Operation {
  private final Services s;

  ListQubes(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    return s.blocking(() -> s.store().read(tx -> tx.qubes().stream().map(q -> s.views().qube(tx, q)).toList()))
        .map(Reply::ok);
  }
}
