package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.vertx.core.Future;

/** POST /api/v1/qubes/{qube}/start. */
final class StartQube implements Operation {
  private final Services s;

  StartQube(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    return s.lifecycle().start(name)
        .compose(q -> s.blocking(() -> s.store().read(tx -> s.views().qube(tx, tx.requireQube(name)))))
        .map(Reply::ok);
  }
}
