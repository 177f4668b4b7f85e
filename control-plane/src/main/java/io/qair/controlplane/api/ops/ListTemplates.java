package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.QubeClass;
import io.vertx.core.Future;

/** GET /api/v1/templates: the TemplateVMs, after registering what READY zones report. */
final class ListTemplates implements Operation {
  private final Services s;

  ListTemplates(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    return s.templates().syncAll()
        .compose(v -> s.blocking(() -> s.store().read(tx -> tx.qubes().stream()
            .filter(q -> q.klass() == QubeClass.TemplateVM)
            .map(q -> s.views().qube(tx, q))
            .toList())))
        .map(Reply::ok);
  }
}
