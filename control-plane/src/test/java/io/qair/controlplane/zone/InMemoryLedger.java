package io.qair.controlplane.zone;

import io.qair.controlplane.store.TokenRedemption;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.QairException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ZoneLedger} in memory, with the same token rules as the SQLite store. */
final class InMemoryLedger implements ZoneLedger {
  record TokenRow(String zone, long expiresAt, Long usedAt) {}

  final Map<String, TokenRow> tokens = new ConcurrentHashMap<>();
  final Set<String> revoked = ConcurrentHashMap.newKeySet();
  final Map<String, ZoneRow> zones = new ConcurrentHashMap<>();
  final Map<String, Integer> qubes = new ConcurrentHashMap<>();
  /** Every zone row written, in order: the steps a test can check. */
  final List<ZoneRow> history = java.util.Collections.synchronizedList(new ArrayList<>());

  @Override
  public void insertToken(String tokenHash, String zone, long expiresAtMillis) {
    tokens.put(tokenHash, new TokenRow(zone, expiresAtMillis, null));
  }

  @Override
  public synchronized TokenRedemption redeemToken(String tokenHash, String zone, long nowMillis) {
    TokenRow t = tokens.get(tokenHash);
    if (t == null) {
      return TokenRedemption.UNKNOWN;
    }
    if (!t.zone().equals(zone)) {
      return TokenRedemption.WRONG_ZONE;
    }
    if (t.usedAt() != null) {
      return TokenRedemption.USED;
    }
    if (nowMillis > t.expiresAt()) {
      return TokenRedemption.EXPIRED;
    }
    tokens.put(tokenHash, new TokenRow(t.zone(), t.expiresAt(), nowMillis));
    return TokenRedemption.OK;
  }

  @Override
  public void revokeCert(String serial, String zone) {
    revoked.add(serial);
  }

  @Override
  public boolean isRevoked(String serial) {
    return revoked.contains(serial);
  }

  @Override
  public synchronized ZoneRow insertZone(ZoneRow zone) {
    if (zones.containsKey(zone.name())) {
      throw QairException.conflict("exists");
    }
    ZoneRow r = new ZoneRow(zone.name(), zone.provider(), zone.region(), zone.state(), zone.address(),
        zone.reason(), zone.options(), zone.certSerial(), zone.step(), 1, 1);
    zones.put(r.name(), r);
    history.add(r);
    return r;
  }

  @Override
  public synchronized ZoneRow updateZone(String name, ZoneState state, String address, String reason, String step,
      String certSerial) {
    ZoneRow o = zones.get(name);
    if (o == null) {
      throw QairException.notFound("no zone " + name);
    }
    ZoneRow r = new ZoneRow(name, o.provider(), o.region(), state, address, reason, o.options(), certSerial, step,
        o.createdAt(), o.updatedAt() + 1);
    zones.put(name, r);
    history.add(r);
    return r;
  }

  @Override
  public Optional<ZoneRow> zone(String name) {
    return Optional.ofNullable(zones.get(name));
  }

  @Override
  public List<ZoneRow> zones() {
    return new ArrayList<>(zones.values());
  }

  @Override
  public void deleteZone(String name) {
    zones.remove(name);
  }

  @Override
  public int qubeCount(String zone) {
    return qubes.getOrDefault(zone, 0);
  }
}
