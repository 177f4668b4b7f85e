package io.qair.cloud.gcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qair.cloud.bootstrap.LiveEnv;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.CloudAdapterContract;
import io.qair.cloud.spi.ZoneRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against real Compute Engine: runs only with {@code -Plive} and the environment
 * described in docs/cloud-zones.md (application-default credentials, QAIR_LIVE_GCP_PROJECT,
 * QAIR_LIVE_GCP_ZONE, QAIR_LIVE_ALLOW_FROM, QAIR_LIVE_AGENT_URL, QAIR_LIVE_AGENT_SHA256).
 */
class GceCloudAdapterLiveTest extends CloudAdapterContract {
  @TempDir Path tmp;

  @Override
  protected CloudAdapter createAdapter() {
    Map<String, String> settings = Map.of(
        "project", LiveEnv.require("QAIR_LIVE_GCP_PROJECT"),
        "zone", LiveEnv.require("QAIR_LIVE_GCP_ZONE"),
        "allow-from", LiveEnv.require("QAIR_LIVE_ALLOW_FROM"),
        "agent.dist-url", LiveEnv.require("QAIR_LIVE_AGENT_URL"),
        "agent.dist-sha256", LiveEnv.require("QAIR_LIVE_AGENT_SHA256"),
        "machine-type", System.getenv().getOrDefault("QAIR_LIVE_GCP_MACHINE_TYPE", "e2-small"),
        "poll-interval-ms", "3000");
    GceCloudAdapter a = new GceCloudAdapter();
    a.init(new AdapterContext(tmp.resolve("gcp"), settings));
    assumeTrue(a.unavailableReason().isEmpty(), () -> "no Google credentials: " + a.unavailableReason().orElse(""));
    return a;
  }

  @Override
  protected ZoneRequest request(String name) {
    return new ZoneRequest(name, null, Map.of());
  }
}
