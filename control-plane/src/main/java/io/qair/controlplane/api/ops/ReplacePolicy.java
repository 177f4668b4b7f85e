package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.api.PolicyText;
import io.vertx.core.Future;

/**
 * PUT /api/v1/policies/{name}: creates or replaces a policy file. The whole policy with the new file
 * is checked first; with an error nothing is written (400, every {@code FILE:LINE: why}).
 */
final class ReplacePolicy implements Operation {
  private final Services s;

  ReplacePolicy(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String untrustedName = request.path("name");
    String text = request.body(PolicyText.class).text();
    return s.blocking(() -> {
      s.policy().replace(untrustedName, text);
      return null;
    }).map(v -> Reply.noContent());
  }
}
