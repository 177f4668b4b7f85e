package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.vertx.core.Future;

/** DELETE /api/v1/policies/{name}: only if the policy without it is valid (another file may include it). */
final class RemovePolicy implements Operation {
  private final Services s;

  RemovePolicy(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String untrustedName = request.path("name");
    return s.blocking(() -> {
      s.policy().remove(untrustedName);
      return null;
    }).map(v -> Reply.noContent());
  }
}
