package io.qair.controlplane.zone;

import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.ZoneHost;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one zone from the step its row records to READY or FAILED: the resumable provisioning
 * state machine. Steps ({@code zones.step}), each written before its side effect:
 *
 * <ol>
 *   <li>{@code PROVISIONING/provision}: a fresh token is stored (hash only), then the adapter makes
 *       or finds the host ({@code provision} is idempotent) and waits until it runs, telling its
 *       own steps ({@code firewall}, {@code launch}, {@code boot}: recorded, for the user to see);
 *   <li>{@code ENROLLING/enroll}: the host's address is recorded; the master dials the agent until it
 *       answers (the host installs and starts it) or {@code enrollTimeout} passes, then enrolls it;
 *   <li>{@code ENROLLING/complete}: the certificate's serial is recorded before the certificate is
 *       sent;
 *   <li>{@code READY}.
 * </ol>
 *
 * <p>Resuming after a crash: a row at {@code complete} is READY once its agent answers with the
 * pinned certificate. Any earlier step runs {@code provision} again, which returns the host made
 * before the crash if there is one. That host carries the token of the first attempt (the adapters
 * do not deliver a token again to a host they find), so the master never keeps a token in clear:
 * every token stays valid, single-use and zone-bound, for its 10 minutes, and the fresh token of
 * the retry is simply not used. When the agent cannot enroll any more (its token expired while the
 * master was down, was burned by an enrollment the crash cut short, or the agent never received its
 * certificate) the provisioning starts over once: the certificate is revoked, the host removed,
 * and a new host made with a new token. Whatever fails ends in FAILED with the reason, the
 * certificate revoked and everything the adapter made removed (step {@code cleanup} until that
 * succeeded, so the reconciler can try again).
 */
final class ZoneProvisioner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZoneProvisioner.class);

  /** How long provisioning waits for the agent to answer and how often it dials meanwhile. */
  record Timing(Duration enrollTimeout, Duration retryInterval) {
    static final Timing DEFAULT = new Timing(EnrollmentTokens.TTL, Duration.ofSeconds(3));
  }

  private final Vertx vertx;
  private final ZoneLedger ledger;
  private final EnrollmentTokens tokens;
  private final Enroller enroller;
  private final MasterPki pki;
  private final Timing timing;
  /** Adapter calls take minutes: they get their own threads, not the pool the Admin API's JDBC uses. */
  private final WorkerExecutor cloud;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  ZoneProvisioner(Vertx vertx, ZoneLedger ledger, EnrollmentTokens tokens, Enroller enroller, MasterPki pki,
      Timing timing) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.tokens = tokens;
    this.enroller = enroller;
    this.pki = pki;
    this.timing = timing;
    this.cloud = vertx.createSharedWorkerExecutor("qair-cloud", 128, 30, TimeUnit.MINUTES);
  }

  /** Whether this master is driving the zone right now (the reconciler leaves it alone then). */
  boolean busy(String zone) {
    return inFlight.contains(zone);
  }

  /**
   * Drives the zone to READY or FAILED; {@code resumed} when its row comes from before a restart.
   * The future has the final row (FAILED is a success of this future, with the reason).
   */
  Future<ZoneRow> drive(ZoneRow row, CloudAdapter adapter, boolean resumed) {
    String zone = row.name();
    if (!inFlight.add(zone)) {
      return Future.failedFuture(QairException.conflict("zone " + zone + " is being provisioned already"));
    }
    Future<ZoneRow> first = resumed && "complete".equals(row.step()) && row.certSerial() != null
        ? confirm(row).recover(e -> Future.failedFuture(new StartOver(e)))
        : attempt(row, adapter);
    return first.recover(e -> {
      // a refused enrollment (the host's token was burned by an enrollment a crash cut short, or
      // expired) is recovered once, whether this drive resumes a row or not: a new host, a new token
      if (!(e instanceof StartOver)) {
        return fail(zone, adapter, e);
      }
      LOG.info("zone {}: the interrupted provisioning cannot be finished ({}): starting it over", zone,
          e.getCause().getMessage());
      return onCloud(() -> {
        ZoneRow now = ledger.zone(zone).orElseThrow();
        if (now.certSerial() != null) {
          ledger.revokeCert(now.certSerial(), zone);
        }
        ZoneRow r = ledger.updateZone(zone, ZoneState.PROVISIONING, null, null, "restart", null);
        adapter.deprovision(zone);
        return r;
      }).compose(r -> attempt(r, adapter)).recover(e2 -> fail(zone, adapter, e2));
    }).onComplete(ar -> inFlight.remove(zone))
        .onSuccess(r -> {
          if (r.state() == ZoneState.READY) {
            LOG.info("zone {} is ready at {}", zone, r.address());
          }
        });
  }

  /** One provisioning from the token to READY; enrollment refusals fail with {@link StartOver}. */
  private Future<ZoneRow> attempt(ZoneRow row, CloudAdapter adapter) {
    String zone = row.name();
    return onCloud(() -> {
      String token = tokens.issue(zone);
      ledger.updateZone(zone, ZoneState.PROVISIONING, null, null, "provision", null);
      return adapter.provision(new ZoneRequest(zone, row.region(), row.options()),
          new Bootstrap(token, pki.caCertPem(), pki.caFingerprint(), pki.masterId()),
          step -> ledger.updateZone(zone, ZoneState.PROVISIONING, null, null, step.id(), null));
    }).compose((ZoneHost host) -> {
      if (host.address() == null) {
        throw QairException.unavailable("the " + row.provider() + " adapter gave zone " + zone + " no address", null);
      }
      long deadline = System.currentTimeMillis() + timing.enrollTimeout().toMillis();
      return blocking(() -> ledger.updateZone(zone, ZoneState.ENROLLING, host.address(), null, "enroll", null))
          .compose(r -> enrollUntil(zone, host.address(), deadline))
          .recover(e -> Future.failedFuture(e instanceof QairException q && q.kind() == ErrorKind.PERMISSION_DENIED
              ? new StartOver(e) : e))
          .compose(enrolled -> blocking(() -> ledger.updateZone(zone, ZoneState.READY, host.address(), null, null,
              enrolled.certSerial())));
    });
  }

  /** Dials the agent until it answers (its host is still installing it) or the deadline passes. */
  private Future<Enroller.EnrolledAgent> enrollUntil(String zone, String address, long deadline) {
    return enroller.enroll(zone, address, serial -> blocking(() -> {
      ledger.updateZone(zone, ZoneState.ENROLLING, address, null, "complete", serial);
      return null;
    })).recover(e -> {
      if (!(e instanceof QairException q && q.kind() == ErrorKind.UNAVAILABLE)) {
        return Future.failedFuture(e);
      }
      if (System.currentTimeMillis() + timing.retryInterval().toMillis() > deadline) {
        return Future.failedFuture(QairException.unavailable("the agent of zone " + zone + " at " + address
            + " did not answer within " + timing.enrollTimeout().toSeconds() + " s of its host running (the host"
            + " installs and starts it at first boot; see /var/log/cloud-init-output.log on the host): "
            + e.getMessage(), null));
      }
      Promise<Enroller.EnrolledAgent> next = Promise.promise();
      vertx.setTimer(timing.retryInterval().toMillis(), id -> enrollUntil(zone, address, deadline).onComplete(next));
      return next.future();
    });
  }

  /**
   * READY if the agent answers with the certificate whose serial the row pins, within a few tries
   * (it may be switching to that certificate right now).
   */
  private Future<ZoneRow> confirm(ZoneRow row) {
    return pinnedInfo(row, 5).compose(info -> blocking(() -> ledger.updateZone(row.name(), ZoneState.READY,
        row.address(), null, null, row.certSerial())));
  }

  private Future<io.qair.protocol.agent.AgentInfo> pinnedInfo(ZoneRow row, int tries) {
    AgentClient client = AgentClient.create(vertx, pki, ledger, row.name(), row.address(), row.certSerial());
    return client.info().eventually(() -> {
      client.close();
      return Future.succeededFuture();
    }).recover(e -> {
      if (tries <= 1) {
        return Future.failedFuture(e);
      }
      Promise<io.qair.protocol.agent.AgentInfo> next = Promise.promise();
      vertx.setTimer(timing.retryInterval().toMillis(), id -> pinnedInfo(row, tries - 1).onComplete(next));
      return next.future();
    });
  }

  /** FAILED with the reason; revoke any certificate issued; remove the host. */
  Future<ZoneRow> fail(String zone, CloudAdapter adapter, Throwable e) {
    Throwable cause = e instanceof StartOver ? e.getCause() : e;
    String reason = cause instanceof QairException ? cause.getMessage() : "internal error: " + cause;
    if (!(cause instanceof QairException)) {
      LOG.error("provisioning zone {} failed", zone, cause);
    } else {
      LOG.warn("provisioning zone {} failed: {}", zone, reason);
    }
    return onCloud(() -> {
      ZoneRow row = ledger.zone(zone).orElse(null);
      if (row == null) {
        return null;
      }
      if (row.certSerial() != null) {
        ledger.revokeCert(row.certSerial(), zone);
      }
      ZoneRow failed = ledger.updateZone(zone, ZoneState.FAILED, row.address(), reason, "cleanup", row.certSerial());
      return cleanUp(failed, adapter);
    });
  }

  /** Removes what the adapter made for a FAILED zone; step null once done. Blocks. */
  ZoneRow cleanUp(ZoneRow failed, CloudAdapter adapter) {
    try {
      adapter.deprovision(failed.name());
      return ledger.updateZone(failed.name(), ZoneState.FAILED, null, failed.reason(), null, failed.certSerial());
    } catch (RuntimeException cleanup) {
      LOG.warn("cleaning up zone {} failed (the reconciler tries again): {}", failed.name(), cleanup.toString());
      return failed;
    }
  }

  /** Runs a (long) adapter call on the cloud threads. */
  <T> Future<T> onCloud(Callable<T> c) {
    return cloud.executeBlocking(c, false);
  }

  private <T> Future<T> blocking(Callable<T> c) {
    return vertx.executeBlocking(c, false);
  }

  @Override
  public void close() {
    cloud.close();
  }

  /** The interrupted provisioning cannot be finished as it is; the cause says why. */
  private static final class StartOver extends RuntimeException {
    StartOver(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
