package io.qair.controlplane.zone;

import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.TokenRedemption;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import java.util.List;
import java.util.Optional;

/** The master's SQLite {@link Store} as the zone layer's ledger. */
public final class StoreLedger implements ZoneLedger {
  private final Store store;

  private StoreLedger(Store store) {
    this.store = store;
  }

  public static ZoneLedger of(Store store) {
    return new StoreLedger(store);
  }

  @Override
  public void insertToken(String tokenHash, String zone, long expiresAtMillis) {
    store.insertToken(tokenHash, zone, expiresAtMillis);
  }

  @Override
  public TokenRedemption redeemToken(String tokenHash, String zone, long nowMillis) {
    return store.redeemToken(tokenHash, zone, nowMillis);
  }

  @Override
  public void revokeCert(String serial, String zone) {
    store.revokeCert(serial, zone);
  }

  @Override
  public boolean isRevoked(String serial) {
    return store.isRevoked(serial);
  }

  @Override
  public ZoneRow insertZone(ZoneRow zone) {
    return store.insertZone(zone);
  }

  @Override
  public ZoneRow updateZone(String name, ZoneState state, String address, String reason, String step,
      String certSerial) {
    return store.updateZone(name, state, address, reason, step, certSerial);
  }

  @Override
  public Optional<ZoneRow> zone(String name) {
    return store.zone(name);
  }

  @Override
  public List<ZoneRow> zones() {
    return store.zones();
  }

  @Override
  public void deleteZone(String name) {
    store.deleteZone(name);
  }

  @Override
  public int qubeCount(String zone) {
    return store.read(tx -> tx.qubeCount(zone));
  }
}
