package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.policy.PolicyError;
import io.qair.protocol.api.PolicyCheck;
import io.vertx.core.Future;
import java.util.List;

/** POST /api/v1/policies/check: the errors of the directory as it is on disk; nothing changes. */
final class CheckPolicies implements Operation {
  private final Services s;

  CheckPolicies(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    return s.blocking(() -> {
      List<String> errors = s.policy().check().stream().map(PolicyError::toString).toList();
      return new PolicyCheck(errors.isEmpty(), errors);
    }).map(Reply::ok);
  }
}
