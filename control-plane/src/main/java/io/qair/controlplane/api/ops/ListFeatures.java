package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.vertx.core.Future;

/** GET /api/v1/qubes/{qube}/features. */
final class ListFeatures implements Operation {
  private final Services s;

  ListFeatures(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    return s.blocking(() -> s.store().read(tx -> tx.features(tx.requireQube(name).name()))).map(Reply::ok);
  }
}
