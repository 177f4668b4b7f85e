package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.vertx.core.Future;

/** DELETE /api/v1/qubes/{qube}: halted, and used by no other qube. */
final class RemoveQube implements Operation {
  private final Services s;

  RemoveQube(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    return s.lifecycle().remove(name).map(v -> Reply.noContent());
  }
}
