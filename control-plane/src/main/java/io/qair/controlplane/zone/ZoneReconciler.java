package io.qair.controlplane.zone;

import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.HostState;
import io.qair.cloud.spi.ZoneHost;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.QairException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the clouds agree with the store, at master start and periodically. Zones caught in
 * provisioning are driven on ({@link ZoneProvisioner}); removals and clean-ups of FAILED zones are
 * finished; a READY zone whose host the cloud no longer has becomes UNREACHABLE with a reason
 * starting {@value #LOST} (an event and a warning say so); and every host that
 * {@link CloudAdapter#discover} finds tagged with this master but the store does not know is
 * removed, so nothing runs in a cloud account that the master does not know about. A zone row is
 * always written before its adapter is called, so a host of an unknown zone is an orphan.
 */
public final class ZoneReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(ZoneReconciler.class);
  static final String LOST = "lost: ";

  /** What one pass did. */
  public record Report(List<ZoneRow> zones, List<String> orphansRemoved, List<String> lost) {}

  private final ZoneLedger ledger;
  private final ZoneProvisioner provisioner;
  private final Function<String, CloudAdapter> adapters;
  private final AgentClients clients;
  private final String masterId;
  private final Set<String> providers;

  /** @param providers searched for orphans besides the providers of the zones in the store */
  ZoneReconciler(ZoneLedger ledger, ZoneProvisioner provisioner, Function<String, CloudAdapter> adapters,
      AgentClients clients, String masterId, Set<String> providers) {
    this.ledger = ledger;
    this.provisioner = provisioner;
    this.adapters = adapters;
    this.clients = clients;
    this.masterId = masterId;
    this.providers = Set.copyOf(providers);
  }

  /** One pass; {@code atStart} also starts stopped hosts of READY zones (a local agent after {@code qair down}). Blocks. */
  Report run(boolean atStart) {
    List<ZoneRow> out = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    Set<String> seen = new TreeSet<>(providers);
    for (ZoneRow row : ledger.zones()) {
      seen.add(row.provider());
      if (provisioner.busy(row.name())) {
        out.add(row);
        continue;
      }
      try {
        ZoneRow after = zone(row, atStart);
        if (after != null) {
          out.add(after);
          if (after.state() == ZoneState.UNREACHABLE && after.reason() != null && after.reason().startsWith(LOST)
              && !(row.state() == ZoneState.UNREACHABLE && after.reason().equals(row.reason()))) {
            lost.add(row.name());
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("reconciling zone {}: {}", row.name(), e.getMessage());
        if (atStart && (row.state() == ZoneState.READY || row.state() == ZoneState.UNREACHABLE)) {
          out.add(ledger.updateZone(row.name(), ZoneState.UNREACHABLE, row.address(), e.getMessage(), null,
              row.certSerial()));
        } else {
          out.add(row);
        }
      }
    }
    List<String> orphans = new ArrayList<>();
    for (String provider : seen) {
      try {
        orphans.addAll(removeOrphans(adapters.apply(provider)));
      } catch (RuntimeException e) {
        LOG.warn("looking for {} hosts this master does not know: {}", provider, e.getMessage());
      }
    }
    return new Report(out, orphans, lost);
  }

  private ZoneRow zone(ZoneRow row, boolean atStart) {
    CloudAdapter adapter = adapters.apply(row.provider());
    switch (row.state()) {
      case PENDING, PROVISIONING, ENROLLING -> {
        LOG.info("zone {}: resuming its provisioning from step {} ({})", row.name(), row.step(), row.state());
        provisioner.drive(row, adapter, true);
        return row;
      }
      case READY, UNREACHABLE -> {
        return check(row, adapter, atStart);
      }
      case FAILED -> {
        return "cleanup".equals(row.step()) ? provisioner.cleanUp(row, adapter) : row;
      }
      case REMOVING -> {
        if (row.certSerial() != null) {
          ledger.revokeCert(row.certSerial(), row.name());
        }
        clients.forget(row.name());
        adapter.deprovision(row.name());
        ledger.deleteZone(row.name());
        LOG.info("zone {}: its interrupted removal is finished", row.name());
        return null;
      }
      default -> {
        return row;
      }
    }
  }

  private ZoneRow check(ZoneRow row, CloudAdapter adapter, boolean atStart) {
    ZoneHost host = adapter.describe(row.name()).orElse(null);
    if (host == null || host.state() == HostState.TERMINATING) {
      String reason = LOST + "the " + row.provider() + " host of zone " + row.name() + " is gone (removed outside"
          + " qair?): its qubes cannot run; remove the zone (qair zone rm " + row.name() + " --force) and create it"
          + " again";
      if (!reason.equals(row.reason())) {
        LOG.warn("zone {}: {}", row.name(), reason);
      }
      return ledger.updateZone(row.name(), ZoneState.UNREACHABLE, row.address(), reason, null, row.certSerial());
    }
    if (host.state() != HostState.RUNNING) {
      if (!atStart) {
        return row;
      }
      host = adapter.start(row.name());
    }
    if (host.address() == null) {
      return row;
    }
    if (!host.address().equals(row.address())) {
      clients.forget(row.name());
    }
    if (row.state() == ZoneState.READY && host.address().equals(row.address())) {
      return row;
    }
    return ledger.updateZone(row.name(), ZoneState.READY, host.address(), null, null, row.certSerial());
  }

  /** Removes the adapter's hosts of this master whose zone the store does not know. */
  private List<String> removeOrphans(CloudAdapter adapter) {
    List<String> removed = new ArrayList<>();
    for (ZoneHost host : adapter.discover(masterId)) {
      String zone = host.zone();
      if (zone == null || removed.contains(zone) || provisioner.busy(zone) || ledger.zone(zone).isPresent()) {
        continue;
      }
      LOG.warn("zone {}: {} host {} is tagged with this master but the store has no such zone: removing it",
          zone, adapter.name(), host.providerId());
      try {
        adapter.deprovision(zone);
        removed.add(zone);
      } catch (QairException e) {
        LOG.warn("zone {}: removing its orphan host failed (tried again next time): {}", zone, e.getMessage());
      }
    }
    return removed;
  }
}
