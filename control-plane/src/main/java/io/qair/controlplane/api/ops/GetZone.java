package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.qube.Views;
import io.qair.protocol.Names;
import io.vertx.core.Future;

/** GET /api/v1/zones/{zone}. */
final class GetZone implements Operation {
  private final Services s;

  GetZone(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String zone = Names.requireZoneName(request.path("zone"));
    return s.blocking(() -> s.store().read(tx -> Views.zone(tx, tx.requireZone(zone)))).map(Reply::ok);
  }
}
