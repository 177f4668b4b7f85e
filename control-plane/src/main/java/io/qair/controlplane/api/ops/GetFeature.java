package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.api.PropertyValue;
import io.vertx.core.Future;

/** GET /api/v1/qubes/{qube}/features/{feature}. */
final class GetFeature implements Operation {
  private final Services s;

  GetFeature(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    String feature = Names.requireFeature(request.path("feature"));
    return s.blocking(() -> s.store().read(tx -> {
      String v = tx.features(tx.requireQube(name).name()).get(feature);
      if (v == null) {
        throw QairException.notFound("qube '" + name + "' has no feature '" + feature
            + "': list them with `qair qube features " + name + "`");
      }
      return v;
    })).map(v -> Reply.ok(new PropertyValue(v)));
  }
}
