package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.qube.Views;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Future;

/** POST /api/v1/zones: checks the name, then hands over to the zone orchestrator. */
final class CreateZone implements Operation {
  private final Services s;

  CreateZone(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    ZoneCreate body = request.body(ZoneCreate.class);
    String name = Names.requireZoneName(body.name());
    if (body.provider().isBlank()) {
      throw QairException.badRequest("invalid request: field 'provider' must name a cloud adapter (local, aws, gcp)");
    }
    return s.blocking(() -> s.store().zone(name))
        .compose(existing -> {
          if (existing.isPresent()) {
            return Future.failedFuture(QairException.conflict("zone '" + name + "' already exists: choose another name"));
          }
          return s.zoneAdmin().create(body);
        })
        .compose(row -> s.blocking(() -> s.store().read(tx -> Views.zone(tx, tx.requireZone(row.name())))))
        .map(Reply::created);
  }
}
