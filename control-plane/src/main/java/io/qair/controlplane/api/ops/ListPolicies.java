package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.vertx.core.Future;

/** GET /api/v1/policies: the policy files, in evaluation order. */
final class ListPolicies implements Operation {
  private final Services s;

  ListPolicies(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    return s.blocking(() -> s.policy().list()).map(Reply::ok);
  }
}
