package io.qair.controlplane.qube;

import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Zones that are READY at once; provider "nope" is refused as the real orchestrator would. */
public final class FakeZoneAdmin implements ZoneAdmin {
  private final Vertx vertx;
  private final Store store;
  public final List<String> removed = new CopyOnWriteArrayList<>();

  public FakeZoneAdmin(Vertx vertx, Store store) {
    this.vertx = vertx;
    this.store = store;
  }

  @Override
  public Future<ZoneRow> create(ZoneCreate request) {
    if (request.provider().equals("nope")) {
      return Future.failedFuture(QairException.badRequest("unknown provider 'nope': use local, aws or gcp"));
    }
    return vertx.executeBlocking(() -> {
      store.insertZone(ZoneRow.pending(request.name(), request.provider(), request.region(), request.options()));
      return store.updateZone(request.name(), ZoneState.READY, "127.0.0.1:1", null, null, null);
    }, false);
  }

  @Override
  public Future<Void> remove(String zone, boolean force) {
    return vertx.executeBlocking(() -> {
      store.deleteZone(zone);
      removed.add(zone);
      return null;
    }, false);
  }
}
