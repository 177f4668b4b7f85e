package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.vertx.core.Future;

/** DELETE /api/v1/zones/{zone}[?force=true]: a zone with qubes only with force. */
final class RemoveZone implements Operation {
  private final Services s;

  RemoveZone(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String zone = Names.requireZoneName(request.path("zone"));
    boolean force = request.flag("force");
    return s.blocking(() -> s.store().read(tx -> {
      tx.requireZone(zone);
      int qubes = tx.qubeCount(zone);
      if (qubes > 0 && !force) {
        throw QairException.conflict("zone '" + zone + "' still has " + qubes + " qube(s): remove them first,"
            + " or remove the zone with --force to remove them too");
      }
      return zone;
    })).compose(z -> s.zoneAdmin().remove(z, force)).map(v -> Reply.noContent());
  }
}
