package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.qair.protocol.api.ZoneAdopt;
import io.vertx.core.Future;

/**
 * POST /api/v1/zones/{zone}/adopt: the external zone's host is at this address; the master
 * enrolls its agent (the zone's events tell how that goes).
 */
final class AdoptZone implements Operation {
  private final Services s;

  AdoptZone(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String zone = Names.requireZoneName(request.path("zone"));
    ZoneAdopt body = request.body(ZoneAdopt.class);
    return s.zoneAdmin().adopt(zone, body.host()).map(v -> Reply.noContent());
  }
}
