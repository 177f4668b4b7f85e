package io.qair.controlplane.qube;

import io.qair.controlplane.store.ZoneRow;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Future;

/**
 * Creates and removes zones: the zone orchestrator behind {@code POST} and {@code DELETE
 * /api/v1/zones}. Listing and reading zones go straight to the store.
 */
public interface ZoneAdmin {
  /**
   * Records the zone (state PENDING, via {@code Store.insertZone}) and starts provisioning it in
   * the background. The Admin API has already checked the name, that the provider is not blank,
   * and that no zone of that name exists; the implementation checks the provider and its options.
   *
   * @return the zone as recorded
   */
  Future<ZoneRow> create(ZoneCreate request);

  /**
   * Tears the zone down: its host, its certificate (revoked) and its row ({@code Store.deleteZone},
   * which deletes the rows of its qubes too). The Admin API has checked that the zone exists, and
   * that it has no qubes unless {@code force}.
   */
  Future<Void> remove(String zone, boolean force);
}
