package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.policy.PolicyRequest;
import io.qair.controlplane.qrexec.PolicyViews;
import io.qair.protocol.api.PolicyEvalRequest;
import io.vertx.core.Future;

/** POST /api/v1/policy/eval: how the policy in force decides a call, without making it or asking anyone. */
final class EvalPolicy implements Operation {
  private final Services s;

  EvalPolicy(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    PolicyEvalRequest body = request.body(PolicyEvalRequest.class);
    PolicyRequest call = new PolicyRequest(body.service(), body.argument(), body.source(), body.target());
    return s.blocking(() -> s.policy().evaluate(call, s.systemInfo()))
        .map(d -> Reply.ok(PolicyViews.decision(d)));
  }
}
