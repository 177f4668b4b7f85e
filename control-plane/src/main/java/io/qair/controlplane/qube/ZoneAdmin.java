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

  /**
   * The first boot of an {@code external} zone's host (keys {@code user-data} and
   * {@code startup-script}), with a fresh single-use enrollment token. CONFLICT for a zone of another
   * provider or one that is already enrolled.
   */
  default Future<java.util.Map<String, String>> hostSetup(String zone) {
    return Future.failedFuture(io.qair.protocol.QairException.unavailable("this master has no zone layer", null));
  }

  /** The host of the {@code external} zone is at {@code host}: the master enrolls its agent there. */
  default Future<Void> adopt(String zone, String host) {
    return Future.failedFuture(io.qair.protocol.QairException.unavailable("this master has no zone layer", null));
  }
}
