package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.store.QubeRow;
import io.qair.protocol.Names;
import io.vertx.core.Future;

/**
 * GET /api/v1/qubes/{qube}/apps: what the qube's menu offers, from the {@code .desktop} files of
 * its template and its own home, as its zone agent reads them (the qube need not run).
 */
final class ListApps implements Operation {
  private final Services s;

  ListApps(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String name = Names.requireQubeName(request.path("qube"));
    return s.blocking(() -> s.store().read(tx -> tx.requireQube(name)))
        .compose((QubeRow q) -> s.runtime().applications(q.zone(), q.name(), q.klass().name(), q.template()))
        .map(Reply::ok);
  }
}
