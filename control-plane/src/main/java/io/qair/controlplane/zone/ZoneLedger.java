package io.qair.controlplane.zone;

import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import java.util.List;
import java.util.Optional;

/**
 * The zone rows the {@link ZoneManager} drives, plus what enrollment needs. Method shapes follow
 * {@link io.qair.controlplane.store.Store}. All methods block.
 */
public interface ZoneLedger extends EnrollmentLedger {
  ZoneRow insertZone(ZoneRow zone);

  /** Writes the zone's state, address, reason, step and certificate serial exactly as given. */
  ZoneRow updateZone(String name, ZoneState state, String address, String reason, String step, String certSerial);

  Optional<ZoneRow> zone(String name);

  List<ZoneRow> zones();

  /** Deletes the zone and every qube row in it. */
  void deleteZone(String name);

  /** How many qubes live in the zone. */
  int qubeCount(String zone);
}
