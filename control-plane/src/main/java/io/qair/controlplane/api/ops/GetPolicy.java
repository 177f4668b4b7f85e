package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.api.PolicyFile;
import io.vertx.core.Future;

/** GET /api/v1/policies/{name}. */
final class GetPolicy implements Operation {
  private final Services s;

  GetPolicy(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String untrustedName = request.path("name");
    return s.blocking(() -> s.policy().get(untrustedName))
        .map(text -> Reply.ok(new PolicyFile(untrustedName.replaceFirst("\\.policy$", ""), text)));
  }
}
