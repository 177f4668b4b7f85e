package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.vertx.core.Future;

/** GET /api/v1/qubes/{qube}. */
final class GetQube implements Operation {
  private final Services s;

  GetQube(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    return s.blocking(() -> s.store().read(tx -> s.views().qube(tx, tx.requireQube(name)))).map(Reply::ok);
  }
}
