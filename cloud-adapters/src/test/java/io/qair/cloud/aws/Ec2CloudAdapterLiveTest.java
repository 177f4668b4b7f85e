package io.qair.cloud.aws;

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
 * The contract against real EC2: runs only with {@code -Plive} and the environment described in
 * docs/cloud-zones.md (credentials from the AWS SDK default chain, QAIR_LIVE_AWS_REGION,
 * QAIR_LIVE_ALLOW_FROM, QAIR_LIVE_AGENT_URL, QAIR_LIVE_AGENT_SHA256). Costs a few instance-minutes.
 */
class Ec2CloudAdapterLiveTest extends CloudAdapterContract {
  @TempDir Path tmp;

  @Override
  protected CloudAdapter createAdapter() {
    Map<String, String> settings = Map.of(
        "region", LiveEnv.require("QAIR_LIVE_AWS_REGION"),
        "allow-from", LiveEnv.require("QAIR_LIVE_ALLOW_FROM"),
        "agent.dist-url", LiveEnv.require("QAIR_LIVE_AGENT_URL"),
        "agent.dist-sha256", LiveEnv.require("QAIR_LIVE_AGENT_SHA256"),
        "instance-type", System.getenv().getOrDefault("QAIR_LIVE_AWS_INSTANCE_TYPE", "t3.small"),
        "poll-interval-ms", "5000");
    Ec2CloudAdapter a = new Ec2CloudAdapter();
    a.init(new AdapterContext(tmp.resolve("aws"), settings));
    assumeTrue(a.unavailableReason().isEmpty(), () -> "no AWS credentials: " + a.unavailableReason().orElse(""));
    return a;
  }

  @Override
  protected ZoneRequest request(String name) {
    return new ZoneRequest(name, null, Map.of());
  }
}
