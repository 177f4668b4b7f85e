package io.qair.controlplane;

import io.qair.controlplane.qube.ZoneAdmin;
import io.qair.controlplane.qube.ZoneRuntime;
import io.qair.controlplane.store.ZoneRow;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import java.util.List;

/** What the master runs with when no zone layer is on the classpath: every zone call is UNAVAILABLE. */
final class UnwiredZoneLayer implements ZoneLayer, ZoneRuntime, ZoneAdmin {
  private static <T> Future<T> unavailable() {
    return Future.failedFuture(QairException.unavailable(
        "this master has no zone layer (no ZoneLayer.Factory on its classpath): it cannot reach zones", null));
  }

  @Override
  public ZoneRuntime runtime() {
    return this;
  }

  @Override
  public ZoneAdmin admin() {
    return this;
  }

  @Override
  public Future<QubeStatus> start(String zone, QubeSpec spec) {
    return unavailable();
  }

  @Override
  public Future<QubeStatus> shutdown(String zone, String qube, boolean force) {
    return unavailable();
  }

  @Override
  public Future<Void> remove(String zone, String qube) {
    return unavailable();
  }

  @Override
  public Future<WebSocket> exec(String zone, String qube, ExecRequest request) {
    return unavailable();
  }

  @Override
  public Future<List<TemplateInfo>> templates(String zone) {
    return unavailable();
  }

  @Override
  public Future<ZoneRow> create(ZoneCreate request) {
    return unavailable();
  }

  @Override
  public Future<Void> remove(String zone, boolean force) {
    return unavailable();
  }
}
