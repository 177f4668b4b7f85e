package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.vertx.core.Future;

/** DELETE /api/v1/qubes/{qube}/features/{feature}: idempotent. */
final class RemoveFeature implements Operation {
  private final Services s;

  RemoveFeature(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    String feature = Names.requireFeature(request.path("feature"));
    return s.blocking(() -> s.store().write(tx -> tx.removeFeature(name, feature))).map(v -> Reply.noContent());
  }
}
