package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.vertx.core.Future;

/** PUT /api/v1/qubes/{qube}/tags/{tag}: idempotent. */
final class AddTag implements Operation {
  private final Services s;

  AddTag(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    String tag = Names.requireTag(request.path("tag"));
    return s.blocking(() -> s.store().write(tx -> tx.addTag(name, tag))).map(v -> Reply.noContent());
  }
}
