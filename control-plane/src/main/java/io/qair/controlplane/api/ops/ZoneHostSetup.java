package io.qair.controlplane.api.ops;

import io.qair.cloud.external.ExternalCloudAdapter;
import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.protocol.Names;
import io.qair.protocol.api.HostSetupView;
import io.vertx.core.Future;

/**
 * POST /api/v1/zones/{zone}/host-setup: the first boot of an external zone's host, with a token
 * issued for this answer (POST: every call issues one).
 */
final class ZoneHostSetup implements Operation {
  private final Services s;

  ZoneHostSetup(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    String zone = Names.requireZoneName(request.path("zone"));
    return s.zoneAdmin().hostSetup(zone).map(m -> Reply.ok(new HostSetupView(zone,
        m.get(ExternalCloudAdapter.USER_DATA), m.get(ExternalCloudAdapter.STARTUP_SCRIPT))));
  }
}
