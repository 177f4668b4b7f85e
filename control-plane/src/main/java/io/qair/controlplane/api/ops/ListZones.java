package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.qube.Views;
import io.vertx.core.Future;

/** GET /api/v1/zones. */
final class ListZones implements Operation {
  private final Services s;

  ListZones(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    return s.blocking(() -> s.store().read(Views::zones))
        .map(Reply::ok);
  }
}
