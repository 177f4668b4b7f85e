package io.qair.cloud.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CloudAdapter} must have. An adapter's test extends this and says how
 * to make the adapter; the local adapter runs it for real, cloud adapters against WireMock (and
 * under {@code -Plive} against the real cloud).
 */
public abstract class CloudAdapterContract {
  protected CloudAdapter adapter;

  /** A fresh, initialised adapter. */
  protected abstract CloudAdapter createAdapter() throws Exception;

  /** The request used for zone {@code name}; override to add provider options. */
  protected ZoneRequest request(String name) {
    return new ZoneRequest(name, null, Map.of());
  }

  protected Bootstrap bootstrap(String masterId) {
    return new Bootstrap("token-" + masterId, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "00".repeat(32), masterId);
  }

  /** Checks the bootstrap reached the host (a file, user-data...). Default: not observable. */
  protected void assertBootstrapDelivered(ZoneHost host, Bootstrap bootstrap) throws Exception {}

  /** Checks something answers at the host's address. Default: not observable. */
  protected void assertReachable(ZoneHost host) throws Exception {}

  /**
   * Checks the provider holds nothing for {@code zone} any more (instances, firewalls...). Default:
   * not observable.
   */
  protected void assertNothingLeftFor(String zone) throws Exception {}

  @BeforeEach
  void createTheAdapter() throws Exception {
    adapter = createAdapter();
  }

  @AfterEach
  void removeWhatTheTestMade() {
    for (String z : new String[] {"contract-a", "contract-b"}) {
      try {
        adapter.deprovision(z);
      } catch (RuntimeException ignored) {
        // best effort
      }
    }
  }

  @Test
  void provisionGivesARunningHostWithAnAddressAndTheBootstrap() throws Exception {
    Bootstrap b = bootstrap("master-1");
    ZoneHost host = adapter.provision(request("contract-a"), b);
    assertThat(host.zone()).isEqualTo("contract-a");
    assertThat(host.state()).isEqualTo(HostState.RUNNING);
    assertThat(host.address()).matches(".+:\\d+");
    assertThat(host.providerId()).isNotBlank();
    assertBootstrapDelivered(host, b);
    assertReachable(host);
    assertThat(adapter.describe("contract-a")).contains(host);
  }

  @Test
  void provisionIsIdempotent() {
    ZoneHost first = adapter.provision(request("contract-a"), bootstrap("master-1"));
    ZoneHost again = adapter.provision(request("contract-a"), bootstrap("master-1"));
    assertThat(again.providerId()).isEqualTo(first.providerId());
  }

  @Test
  void describeOfAnUnknownZoneIsEmpty() {
    assertThat(adapter.describe("contract-none")).isEmpty();
  }

  @Test
  void discoverFindsOnlyThisMastersHosts() {
    ZoneHost mine = adapter.provision(request("contract-a"), bootstrap("master-1"));
    adapter.provision(request("contract-b"), bootstrap("master-2"));
    assertThat(adapter.discover("master-1")).extracting(ZoneHost::zone).containsExactly("contract-a");
    assertThat(adapter.discover("master-1").get(0).providerId()).isEqualTo(mine.providerId());
    assertThat(adapter.discover("master-3")).isEmpty();
  }

  @Test
  void stopThenStartBringsTheHostBack() throws Exception {
    adapter.provision(request("contract-a"), bootstrap("master-1"));
    adapter.stop("contract-a");
    assertThat(adapter.describe("contract-a")).map(ZoneHost::state).contains(HostState.STOPPED);
    ZoneHost back = adapter.start("contract-a");
    assertThat(back.state()).isEqualTo(HostState.RUNNING);
    assertReachable(back);
  }

  @Test
  void deprovisionRemovesTheHostAndIsIdempotent() throws Exception {
    adapter.provision(request("contract-a"), bootstrap("master-1"));
    adapter.deprovision("contract-a");
    Optional<ZoneHost> after = adapter.describe("contract-a");
    assertThat(after.isEmpty() || after.get().state() == HostState.TERMINATING).isTrue();
    assertThat(adapter.discover("master-1")).isEmpty();
    assertNothingLeftFor("contract-a");
    adapter.deprovision("contract-a");
  }
}
