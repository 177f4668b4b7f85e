package io.qair.controlplane.store;

import java.util.Map;

/**
 * One row of {@code zones}.
 *
 * @param step where a resumable provisioning state machine stopped; null when idle
 * @param certSerial serial of the zone agent's master-issued certificate, once enrolled
 */
public record ZoneRow(
    String name,
    String provider,
    String region,
    ZoneState state,
    String address,
    String reason,
    Map<String, String> options,
    String certSerial,
    String step,
    long createdAt,
    long updatedAt) {

  public ZoneRow {
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /** A new zone in state PENDING, with no address, reason, certificate or step. */
  public static ZoneRow pending(String name, String provider, String region, Map<String, String> options) {
    return new ZoneRow(name, provider, region, ZoneState.PENDING, null, null, options, null, null, 0, 0);
  }
}
