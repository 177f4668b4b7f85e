package io.qair.cloud.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.cloud.spi.AdapterContext;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommonOptionsTest {
  private static final String SHA = "ef".repeat(32);

  @Test
  void aProvidersPrefixedSettingsWinAndItsRecordsLiveApart() {
    AdapterContext shared = new AdapterContext(Path.of("/q/zones"), Map.of("endpoint", "http://a",
        "gcp.endpoint", "http://g", "aws.region", "eu-west-1", "project", "p"));
    AdapterContext gcp = CommonOptions.forProvider(shared, "gcp");
    assertThat(gcp.setting("endpoint")).contains("http://g");
    assertThat(gcp.setting("project")).contains("p");
    assertThat(gcp.stateDir()).isEqualTo(Path.of("/q/zones/.gcp"));
    assertThat(CommonOptions.forProvider(shared, "aws").setting("endpoint")).contains("http://a");
    assertThat(CommonOptions.forProvider(shared, "aws").setting("region")).contains("eu-west-1");
  }

  @Test
  void optionsWinOverSettingsAndAnAgentUrlNeedsItsDigest() {
    AdapterContext c = new AdapterContext(Path.of("/s"), Map.of("allow-from", "10.0.0.0/8", "agent.dist-url",
        "https://d/a.tar.gz", "agent.dist-sha256", SHA));
    CommonOptions o = CommonOptions.parse(Map.of("allow-from", "203.0.113.7/32", "agent-port", "9000"), c);
    assertThat(o).isEqualTo(new CommonOptions(9000, "203.0.113.7/32",
        AgentDistribution.parse("https://d/a.tar.gz", SHA)));
    assertThat(CommonOptions.parse(Map.of(), new AdapterContext(Path.of("/s"), Map.of("allow-from", "1.2.3.4/32")))
        .dist()).isNull();
    assertThatThrownBy(() -> CommonOptions.parse(Map.of("allow-from", "1.2.3.4/32", "agent-url", "https://d/a"),
        new AdapterContext(Path.of("/s"), Map.of())))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("agent-sha256");
        });
  }
}
