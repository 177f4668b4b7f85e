package io.qair.controlplane;

import io.qair.controlplane.qube.ZoneAdmin;
import io.qair.controlplane.qube.ZoneRuntime;
import io.qair.controlplane.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * The master's zone layer: how it runs qubes in zones ({@link ZoneRuntime}) and how it creates and
 * removes zones ({@link ZoneAdmin}). {@link Master} makes one with a {@link Factory}; MasterMain
 * finds the factory with {@link java.util.ServiceLoader}.
 */
public interface ZoneLayer {
  ZoneRuntime runtime();

  ZoneAdmin admin();

  /** Where the zones' qrexec calls go; set before {@link #start}. Without it, the agents deny every call. */
  default void routeCalls(io.qair.controlplane.qrexec.CallDecider decider) {}

  /** Called once the Admin API listens: resume provisioning, reconnect to agents, make the default zone. */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /** Called when the master stops, before the store is closed. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** Makes the zone layer; {@code dataDir} is the master's data directory (the CA is in {@code ca/}). */
  interface Factory {
    ZoneLayer create(Vertx vertx, Store store, Path dataDir);
  }
}
