package io.qair.controlplane.zone;

import io.qair.cloud.external.ExternalCloudAdapter;
import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ZoneCreate;
import io.qair.protocol.pki.Certificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and removes zones. Create: row PENDING, then {@link ZoneProvisioner} drives it
 * (PROVISIONING, ENROLLING, READY), each step written to the store before its side effect; on
 * failure the zone is FAILED with the reason, its certificate (if any) revoked and its host
 * removed. Remove: REMOVING, revoke the certificate, remove the host, delete the row. The
 * {@link ZoneReconciler} runs at start ({@link #resume}) and periodically ({@link #reconcileEvery}):
 * it finishes or cleans up what a crash interrupted and removes hosts the store does not know.
 *
 * <p>{@link #create} and {@link #remove} have the shape of
 * {@code io.qair.controlplane.qube.ZoneAdmin}.
 */
public final class ZoneManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZoneManager.class);

  private final Vertx vertx;
  private final ZoneLedger ledger;
  private final Function<String, CloudAdapter> adapters;
  private final AgentClients clients;
  private final ZoneProvisioner provisioner;
  private final ZoneReconciler reconciler;
  private final EnrollmentTokens tokens;
  private final MasterPki pki;
  private final java.util.concurrent.atomic.AtomicBoolean reconciling = new java.util.concurrent.atomic.AtomicBoolean();
  private final List<Long> timers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param adapters the initialised adapter for a provider name; throws BAD_REQUEST for an
   *     unknown one (e.g. {@code name -> CloudAdapters.load(name, context)}, cached)
   */
  public ZoneManager(Vertx vertx, ZoneLedger ledger, EnrollmentTokens tokens, Enroller enroller, MasterPki pki,
      Function<String, CloudAdapter> adapters, AgentClients clients) {
    this(vertx, ledger, tokens, enroller, pki, adapters, clients, ZoneProvisioner.Timing.DEFAULT, Set.of());
  }

  /**
   * @param enrollTimeout how long a new host's agent has to answer after the host runs
   * @param providers searched by the reconciler for hosts of unknown zones, besides the providers
   *     of the zones in the store
   */
  public ZoneManager(Vertx vertx, ZoneLedger ledger, EnrollmentTokens tokens, Enroller enroller, MasterPki pki,
      Function<String, CloudAdapter> adapters, AgentClients clients, Duration enrollTimeout, Duration retryInterval,
      Set<String> providers) {
    this(vertx, ledger, tokens, enroller, pki, adapters, clients, new ZoneProvisioner.Timing(enrollTimeout,
        retryInterval), providers);
  }

  private ZoneManager(Vertx vertx, ZoneLedger ledger, EnrollmentTokens tokens, Enroller enroller, MasterPki pki,
      Function<String, CloudAdapter> adapters, AgentClients clients, ZoneProvisioner.Timing timing,
      Set<String> providers) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.adapters = adapters;
    this.clients = clients;
    this.tokens = tokens;
    this.pki = pki;
    this.provisioner = new ZoneProvisioner(vertx, ledger, tokens, enroller, pki, timing);
    this.reconciler = new ZoneReconciler(ledger, provisioner, adapters, clients, pki.masterId(), providers);
  }

  /** Records the zone (PENDING) and provisions it in the background; the future has the new row. */
  public Future<ZoneRow> create(ZoneCreate request) {
    return create(request, row -> { });
  }

  /**
   * The same; {@code whenSettled} gets the final row (READY or FAILED) once provisioning ends,
   * without anyone polling the store for it.
   */
  public Future<ZoneRow> create(ZoneCreate request, java.util.function.Consumer<ZoneRow> whenSettled) {
    return insert(request).onSuccess(row -> provision(row).onSuccess(whenSettled::accept));
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
    return provisioner.drive(row, adapters.apply(row.provider()), false);
  }

  /**
   * The first boot of an {@code external} zone's host, delivering a token issued now (tokens are
   * kept by hash only, so each call issues a new one; each lasts 10 minutes and enrolls once).
   */
  public Future<Map<String, String>> hostSetup(String zone) {
    return blocking(() -> {
      ZoneRow row = external(zone);
      if (row.state() != ZoneState.PENDING && row.state() != ZoneState.PROVISIONING) {
        throw QairException.conflict("zone " + zone + " is " + row.state() + ": a host setup is only given before the"
            + " host is adopted");
      }
      ExternalCloudAdapter adapter = (ExternalCloudAdapter) adapters.apply(row.provider());
      return adapter.hostSetup(new ZoneRequest(zone, row.region(), row.options()),
          new Bootstrap(tokens.issue(zone), pki.caCertPem(), pki.caFingerprint(), pki.masterId()));
    });
  }

  /** The {@code external} zone's host is at {@code host}: its provisioning goes on to enrollment. */
  public Future<Void> adopt(String zone, String host) {
    return blocking(() -> {
      external(zone);
      ((ExternalCloudAdapter) adapters.apply(ExternalCloudAdapter.NAME)).adopt(zone, host);
      return null;
    });
  }

  private ZoneRow external(String zone) {
    ZoneRow row = ledger.zone(zone).orElseThrow(() -> QairException.notFound("no zone '" + zone + "'"));
    if (!row.provider().equals(ExternalCloudAdapter.NAME)) {
      throw QairException.conflict("zone " + zone + " is a " + row.provider() + " zone: its host is made by qair;"
          + " only zones created with --provider external get a host setup and are adopted");
    }
    return row;
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
      return row;
    }).compose(row -> provisioner.onCloud(() -> {
      adapters.apply(row.provider()).deprovision(zone);
      ledger.deleteZone(zone);
      LOG.info("zone {} removed", zone);
      return null;
    }));
  }

  /**
   * At master start: one reconcile pass that also starts stopped hosts of READY zones (a local
   * agent after {@code qair down}), recording any new address; provisioning cut off by the stop
   * goes on in the background. The future lists the zones as they are afterwards.
   */
  public Future<List<ZoneRow>> resume() {
    return provisioner.onCloud(() -> reconciler.run(true).zones());
  }

  /** One reconcile pass (see {@link ZoneReconciler}); at most one runs at a time, a second call waits for it. */
  public Future<ZoneReconciler.Report> reconcile() {
    return provisioner.onCloud(() -> {
      synchronized (reconciler) {
        return reconciler.run(false);
      }
    });
  }

  /** Reconciles every {@code period} until {@link #close}. */
  public void reconcileEvery(Duration period) {
    long id = vertx.setPeriodic(period.toMillis(), t -> {
      if (reconciling.compareAndSet(false, true)) {
        reconcile().onComplete(ar -> reconciling.set(false))
            .onSuccess(r -> {
              if (!r.orphansRemoved().isEmpty() || !r.lost().isEmpty()) {
                LOG.warn("reconcile: removed hosts of unknown zones {}, zones whose host is lost {}",
                    r.orphansRemoved(), r.lost());
              }
            })
            .onFailure(e -> LOG.warn("reconcile failed: {}", e.toString()));
      }
    });
    timers.add(id);
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

  /** Stops the periodic reconcile and releases the provisioning threads. */
  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
    provisioner.close();
  }
}
