package io.qair.cloud.spi;

import java.util.List;
import java.util.Optional;

/**
 * Makes and removes zone hosts with one provider ({@code local}, {@code aws}, {@code gcp}). Found
 * with {@link java.util.ServiceLoader}; see {@link CloudAdapters}.
 *
 * <p>All methods block and may take minutes; callers keep them off event loops. Each is
 * idempotent, so the master's reconciler can repeat any step after a crash: {@code provision} of a
 * zone that has a host returns that host; {@code deprovision} of a zone without one does nothing.
 * Failures are {@link io.qair.protocol.QairException}s (UNAVAILABLE for provider trouble).
 */
public interface CloudAdapter {
  /** The provider name used in {@code zones.provider}, e.g. {@code local}. */
  String name();

  /**
   * After {@link #init}: whether this adapter can work here, and if not, why not (missing
   * credentials, no agent distribution).
   */
  default Optional<String> unavailableReason() {
    return Optional.empty();
  }

  /** Called once before any other operation. */
  void init(AdapterContext context);

  /**
   * Creates the zone's host, tagged with {@code bootstrap.masterId()}, delivers the bootstrap to it
   * and starts the zone agent. Returns once the agent's address is known.
   */
  ZoneHost provision(ZoneRequest request, Bootstrap bootstrap);

  /**
   * {@link #provision(ZoneRequest, Bootstrap)} telling {@code progress} each step as it begins (from
   * the thread that called; an adapter without steps tells none).
   */
  default ZoneHost provision(ZoneRequest request, Bootstrap bootstrap, java.util.function.Consumer<ProvisionStep> progress) {
    return provision(request, bootstrap);
  }

  /** The zone's host, or empty if it has none. */
  Optional<ZoneHost> describe(String zone);

  /** Starts the zone's stopped host (and agent) again; returns it with its current address. */
  ZoneHost start(String zone);

  /** Stops the zone's host without removing it or its data. */
  void stop(String zone);

  /** Removes the zone's host and everything the adapter made for it. */
  void deprovision(String zone);

  /** Every host this adapter finds tagged with {@code masterId}: what the reconciler compares with the store. */
  List<ZoneHost> discover(String masterId);
}
