package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.protocol.Label;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** GET /api/v1/labels: the palette. */
final class ListLabels implements Operation {
  @Override
  public Future<Reply> handle(ApiRequest request) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Label l : Label.values()) {
      out.add(Map.of("name", l.wireName(), "color", l.color()));
    }
    return Future.succeededFuture(Reply.ok(out));
  }
}
