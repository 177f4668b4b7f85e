package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.qair.protocol.api.PropertyValue;
import io.vertx.core.Future;

/** PUT /api/v1/qubes/{qube}/features/{feature}. */
final class SetFeature implements Operation {
  private final Services s;

  SetFeature(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    String feature = Names.requireFeature(request.path("feature"));
    String value = request.body(PropertyValue.class).value();
    return s.blocking(() -> s.store().write(tx -> {
      tx.setFeature(name, feature, value);
      return value;
    })).map(v -> Reply.ok(new PropertyValue(v)));
  }
}
