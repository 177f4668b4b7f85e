package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.qrexec.PolicyViews;
import io.qair.protocol.api.AskAnswer;
import io.vertx.core.Future;

/**
 * POST /api/v1/policy/asks/{id}: allow (with one of the offered targets; none takes the suggested
 * one) or deny. A target that was not offered is refused (400) and the question stays.
 */
final class AnswerAsk implements Operation {
  private final Services s;

  AnswerAsk(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String untrustedId = request.path("id");
    AskAnswer answer = request.body(AskAnswer.class);
    // the ask listeners record events in the store: off the event loop
    return s.blocking(() -> s.asks().answer(untrustedId, answer.allow(), answer.target()))
        .map(d -> Reply.ok(PolicyViews.decision(d)));
  }
}
