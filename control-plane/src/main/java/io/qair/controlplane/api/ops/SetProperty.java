package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.qair.protocol.api.PropertyValue;
import io.vertx.core.Future;

/** PUT /api/v1/qubes/{qube}/properties/{prop}: checked by {@code QubeProperties}. */
final class SetProperty implements Operation {
  private final Services s;

  SetProperty(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    String prop = request.path("prop");
    String value = request.body(PropertyValue.class).value();
    return s.blocking(() -> s.store().write(tx -> s.properties().set(tx, tx.requireQube(name), prop, value)))
        .map(v -> Reply.ok(new PropertyValue(v)));
  }
}
