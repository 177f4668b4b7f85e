package io.qair.controlplane.qube;

import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;

/**
 * Start, shut down and remove a qube: check its state in the store, ask its zone, record what the
 * zone answered. The state moves through STARTING / HALTING while the zone works, so a second
 * request in the meantime is a CONFLICT rather than a race.
 */
public final class QubeLifecycle {
  private final Vertx vertx;
  private final Store store;
  private final ZoneRuntime runtime;

  public QubeLifecycle(Vertx vertx, Store store, ZoneRuntime runtime) {
    this.vertx = vertx;
    this.store = store;
    this.runtime = runtime;
  }

  private record Starting(String zone, QubeSpec spec) {}

  private record Stopping(String zone, QubeState previous) {}

  public Future<QubeRow> start(String name) {
    return vertx.executeBlocking(() -> store.write(tx -> {
      QubeRow q = tx.requireQube(name);
      switch (q.state()) {
        case RUNNING, STARTING -> throw QairException.conflict("qube '" + name + "' is already running");
        case HALTING -> throw QairException.conflict("qube '" + name + "' is shutting down: wait, then start it");
        default -> { }
      }
      requireReady(tx.requireZone(q.zone()), "start qube '" + name + "'");
      tx.setQubeState(name, QubeState.STARTING, null);
      return new Starting(q.zone(), Views.spec(tx, q));
    }), false).compose(s -> runtime.start(s.zone(), s.spec()).transform(ar -> ar.succeeded()
        ? record(name, ar.result())
        : restore(name, QubeState.HALTED, ar.cause(), "qube '" + name + "' could not start in zone '" + s.zone() + "'")));
  }

  public Future<QubeRow> shutdown(String name, boolean force) {
    return vertx.executeBlocking(() -> store.write(tx -> {
      QubeRow q = tx.requireQube(name);
      if (q.state() == QubeState.HALTED) {
        throw QairException.conflict("qube '" + name + "' is not running");
      }
      if (q.state() == QubeState.HALTING && !force) {
        throw QairException.conflict("qube '" + name + "' is already shutting down: wait, or use --force");
      }
      tx.setQubeState(name, QubeState.HALTING, null);
      return new Stopping(q.zone(), q.state());
    }), false).compose(s -> runtime.shutdown(s.zone(), name, force).transform(ar -> ar.succeeded()
        ? record(name, ar.result())
        : restore(name, s.previous(), ar.cause(), "qube '" + name + "' could not be shut down in zone '" + s.zone() + "'")));
  }

  /** Removes a halted qube that no other qube uses: its volumes in its zone, then its row. */
  public Future<Void> remove(String name) {
    return vertx.executeBlocking(() -> store.read(tx -> {
      QubeRow q = tx.requireQube(name);
      checkRemovable(q, tx.dependents(name));
      return q.zone();
    }), false).compose(zone -> runtime.remove(zone, name)
        .recover(e -> Future.failedFuture(zoneError(e, "the volumes of qube '" + name + "' could not be removed in zone '" + zone + "'"))))
        .compose(v -> vertx.executeBlocking(() -> store.write(tx -> {
          QubeRow q = tx.requireQube(name);
          checkRemovable(q, tx.dependents(name));
          tx.deleteQube(name);
          return null;
        }), false));
  }

  private static void checkRemovable(QubeRow q, List<String> dependents) {
    if (q.state() != QubeState.HALTED && q.state() != QubeState.CRASHED) {
      throw QairException.conflict("qube '" + q.name() + "' is " + q.state().name().toLowerCase(Locale.ROOT)
          + ": shut it down first (`qair qube shutdown " + q.name() + "`)");
    }
    if (!dependents.isEmpty()) {
      throw QairException.conflict("qube '" + q.name() + "' is the template or net qube of "
          + String.join(", ", dependents) + ": remove them or change their template/netvm first");
    }
  }

  static void requireReady(ZoneRow zone, String what) {
    if (zone.state() != ZoneState.READY) {
      throw QairException.unavailable("cannot " + what + ": zone '" + zone.name() + "' is "
          + zone.state() + (zone.reason() == null ? "" : " (" + zone.reason() + ")")
          + ", not READY: check it with `qair zone ls`", null);
    }
  }

  private Future<QubeRow> record(String name, QubeStatus status) {
    QubeState state = parseState(status.state());
    return vertx.executeBlocking(() -> store.setQubeState(name, state, status.reason()), false);
  }

  private <T> Future<T> restore(String name, QubeState state, Throwable cause, String what) {
    QairException error = zoneError(cause, what);
    return vertx.executeBlocking(() -> store.setQubeState(name, state, error.getMessage()), false)
        .transform(ignored -> Future.failedFuture(error));
  }

  /** A zone failure as the user sees it: a QairException as it is, anything else UNAVAILABLE. */
  public static QairException zoneError(Throwable cause, String what) {
    if (cause instanceof QairException q) {
      return q;
    }
    return QairException.unavailable(what + ": " + cause.getMessage(), cause);
  }

  static QubeState parseState(String untrusted) {
    try {
      return QubeState.valueOf(untrusted);
    } catch (IllegalArgumentException | NullPointerException e) {
      return QubeState.UNKNOWN;
    }
  }
}
