package io.qair.controlplane.zone;

import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.HostState;
import io.qair.cloud.spi.ZoneHost;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ZoneCreate;
import io.qair.protocol.pki.Certificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and removes zones. Create: row PENDING, token issued, PROVISIONING (adapter makes the
 * host and starts the agent), ENROLLING (certificate issued, serial recorded), READY. Each step
 * is written to the store before its side effect, so a crash leaves a row that says what may
 * exist; on failure the zone is FAILED with the reason, its certificate (if any) revoked and its
 * host removed. Remove: REMOVING, revoke the certificate, remove the host, delete the row.
 *
 * <p>{@link #create} and {@link #remove} have the shape of
 * {@code io.qair.controlplane.qube.ZoneAdmin}.
 */
public final class ZoneManager {
  private static final Logger LOG = LoggerFactory.getLogger(ZoneManager.class);

  private final Vertx vertx;
  private final ZoneLedger ledger;
  private final EnrollmentTokens tokens;
  private final Enroller enroller;
  private final MasterPki pki;
  private final Function<String, CloudAdapter> adapters;
  private final AgentClients clients;

  /**
   * @param adapters the initialised adapter for a provider name; throws BAD_REQUEST for an
   *     unknown one (e.g. {@code name -> CloudAdapters.load(name, context)}, cached)
   */
  public ZoneManager(Vertx vertx, ZoneLedger ledger, EnrollmentTokens tokens, Enroller enroller, MasterPki pki,
      Function<String, CloudAdapter> adapters, AgentClients clients) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.tokens = tokens;
    this.enroller = enroller;
    this.pki = pki;
    this.adapters = adapters;
    this.clients = clients;
  }

  /** Records the zone (PENDING) and provisions it in the background; the future has the new row. */
  public Future<ZoneRow> create(ZoneCreate request) {
    return insert(request).onSuccess(row -> provision(row));
  }

  /** Records the zone and provisions it; the future completes with the row once READY or FAILED. */
  public Future<ZoneRow> createAndWait(ZoneCreate request) {
    return insert(request).compose(this::provision);
  }

  private Future<ZoneRow> insert(ZoneCreate request) {
    return blocking(() -> {
      String name = Names.requireZoneName(request.name());
      if (name.startsWith(Certificates.RESERVED_PREFIX)) {
        throw QairException.badRequest("zone names starting with '" + Certificates.RESERVED_PREFIX
            + "' are reserved for qair itself: choose another name");
      }
      if (request.provider() == null || request.provider().isBlank()) {
        throw QairException.badRequest("a zone needs a provider: local, aws or gcp");
      }
      adapters.apply(request.provider());
      if (ledger.zone(name).isPresent()) {
        throw QairException.conflict("zone '" + name + "' exists already");
      }
      return ledger.insertZone(ZoneRow.pending(name, request.provider(), request.region(), request.options()));
    });
  }

  private Future<ZoneRow> provision(ZoneRow row) {
    String zone = row.name();
    CloudAdapter adapter = adapters.apply(row.provider());
    return blocking(() -> {
      String token = tokens.issue(zone);
      ledger.updateZone(zone, ZoneState.PROVISIONING, null, null, "provision", null);
      return adapter.provision(new ZoneRequest(zone, row.region(), row.options()),
          new Bootstrap(token, pki.caCertPem(), pki.caFingerprint(), pki.masterId()));
    }).compose(host -> {
      if (host.address() == null) {
        throw QairException.unavailable("the " + row.provider() + " adapter gave zone " + zone + " no address", null);
      }
      return blocking(() -> ledger.updateZone(zone, ZoneState.ENROLLING, host.address(), null, "enroll", null))
          .compose(r -> enroller.enroll(zone, host.address(), serial -> blocking(() -> {
            ledger.updateZone(zone, ZoneState.ENROLLING, host.address(), null, "complete", serial);
            return null;
          })))
          .compose(enrolled -> blocking(() -> ledger.updateZone(zone, ZoneState.READY, host.address(), null, null,
              enrolled.certSerial())));
    }).onSuccess(r -> LOG.info("zone {} is ready at {}", zone, r.address()))
        .recover(e -> fail(zone, adapter, e));
  }

  /** FAILED with the reason; revoke any certificate issued; remove the host. */
  private Future<ZoneRow> fail(String zone, CloudAdapter adapter, Throwable e) {
    String reason = e instanceof QairException ? e.getMessage() : "internal error: " + e;
    if (!(e instanceof QairException)) {
      LOG.error("provisioning zone {} failed", zone, e);
    } else {
      LOG.warn("provisioning zone {} failed: {}", zone, reason);
    }
    return blocking(() -> {
      ZoneRow row = ledger.zone(zone).orElse(null);
      if (row == null) {
        return null;
      }
      if (row.certSerial() != null) {
        ledger.revokeCert(row.certSerial(), zone);
      }
      ZoneRow failed = ledger.updateZone(zone, ZoneState.FAILED, row.address(), reason, "cleanup", row.certSerial());
      try {
        adapter.deprovision(zone);
        failed = ledger.updateZone(zone, ZoneState.FAILED, null, reason, null, row.certSerial());
      } catch (RuntimeException cleanup) {
        LOG.warn("cleaning up zone {} failed: {}", zone, cleanup.toString());
      }
      return failed;
    });
  }

  /**
   * Removes the zone: refuses (CONFLICT) while it has qubes unless {@code force}; revokes its
   * certificate, removes its host, deletes its row (and its qubes' rows).
   */
  public Future<Void> remove(String zone, boolean force) {
    return blocking(() -> {
      ZoneRow row = ledger.zone(zone).orElseThrow(() -> QairException.notFound("no zone '" + zone + "'"));
      int qubes = ledger.qubeCount(zone);
      if (qubes > 0 && !force) {
        throw QairException.conflict("zone '" + zone + "' has " + qubes + " qube(s): remove them first, or use force");
      }
      ledger.updateZone(zone, ZoneState.REMOVING, row.address(), null, "revoke", row.certSerial());
      if (row.certSerial() != null) {
        ledger.revokeCert(row.certSerial(), zone);
      }
      clients.forget(zone);
      ledger.updateZone(zone, ZoneState.REMOVING, row.address(), null, "deprovision", row.certSerial());
      adapters.apply(row.provider()).deprovision(zone);
      ledger.deleteZone(zone);
      LOG.info("zone {} removed", zone);
      return null;
    });
  }

  /**
   * At master start: brings back stopped hosts of READY/UNREACHABLE zones (a local agent after
   * {@code qair down}), recording any new address; fails zones whose provisioning was cut off;
   * finishes removals. The future lists the zones as they are afterwards.
   */
  public Future<List<ZoneRow>> resume() {
    return blocking(() -> {
      List<ZoneRow> out = new ArrayList<>();
      for (ZoneRow row : ledger.zones()) {
        try {
          out.add(resume(row));
        } catch (RuntimeException e) {
          LOG.warn("zone {}: {}", row.name(), e.getMessage());
          out.add(ledger.updateZone(row.name(), ZoneState.UNREACHABLE, row.address(), e.getMessage(), null,
              row.certSerial()));
        }
      }
      return out.stream().filter(r -> r != null).toList();
    });
  }

  private ZoneRow resume(ZoneRow row) {
    CloudAdapter adapter = adapters.apply(row.provider());
    switch (row.state()) {
      case READY, UNREACHABLE -> {
        ZoneHost host = adapter.describe(row.name()).orElse(null);
        if (host == null) {
          return ledger.updateZone(row.name(), ZoneState.UNREACHABLE, row.address(),
              "the zone's host is gone", null, row.certSerial());
        }
        if (host.state() != HostState.RUNNING) {
          host = adapter.start(row.name());
        }
        if (host.address() != null && !host.address().equals(row.address())) {
          clients.forget(row.name());
        }
        return ledger.updateZone(row.name(), ZoneState.READY, host.address(), null, null, row.certSerial());
      }
      case PENDING, PROVISIONING, ENROLLING -> {
        String reason = "the master stopped while the zone was being provisioned (step "
            + row.step() + "); remove it and create it again";
        if (row.certSerial() != null) {
          ledger.revokeCert(row.certSerial(), row.name());
        }
        adapter.deprovision(row.name());
        return ledger.updateZone(row.name(), ZoneState.FAILED, null, reason, null, row.certSerial());
      }
      case REMOVING -> {
        if (row.certSerial() != null) {
          ledger.revokeCert(row.certSerial(), row.name());
        }
        adapter.deprovision(row.name());
        ledger.deleteZone(row.name());
        return null;
      }
      default -> {
        return row;
      }
    }
  }

  /** Stops every zone host of {@code provider} without removing it (for {@code qair down} with local zones). */
  public Future<Void> stopHosts(String provider) {
    return blocking(() -> {
      for (ZoneRow row : ledger.zones()) {
        if (row.provider().equals(provider)) {
          clients.forget(row.name());
          adapters.apply(provider).stop(row.name());
        }
      }
      return null;
    });
  }

  private <T> Future<T> blocking(Callable<T> c) {
    return vertx.executeBlocking(c, false);
  }
}
