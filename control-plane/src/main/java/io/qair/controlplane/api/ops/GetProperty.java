package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.qair.protocol.api.PropertyValue;
import io.vertx.core.Future;

/** GET /api/v1/qubes/{qube}/properties/{prop}. */
final class GetProperty implements Operation {
  private final Services s;

  GetProperty(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    String prop = request.path("prop");
    return s.blocking(() -> s.store().read(tx -> s.properties().get(tx, tx.requireQube(name), prop)))
        .map(v -> Reply.ok(new PropertyValue(v)));
  }
}
