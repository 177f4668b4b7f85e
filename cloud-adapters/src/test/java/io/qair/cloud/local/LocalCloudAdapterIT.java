package io.qair.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.CloudAdapterContract;
import io.qair.cloud.spi.CloudAdapters;
import io.qair.cloud.spi.ZoneHost;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the adapter contract with real processes (a fake agent main class on the test class path). */
class LocalCloudAdapterIT extends CloudAdapterContract {
  @TempDir Path tmp;

  @Override
  protected CloudAdapter createAdapter() throws Exception {
    String cp = Path.of(FakeAgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    return CloudAdapters.load("local", new AdapterContext(tmp.resolve("zones"), Map.of(
        "agent.classpath", cp, "agent.main", FakeAgentMain.class.getName(), "agent.startup-timeout", "20")));
  }

  @Override
  protected void assertBootstrapDelivered(ZoneHost host, Bootstrap b) throws Exception {
    Path dir = tmp.resolve("zones").resolve(host.zone());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(Files.readString(dir.resolve("agent.pid")).trim()).isEqualTo(host.providerId().substring(4));
    for (String f : new String[] {"enroll.token", "ca.pem"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))))
          .as(f).isEqualTo("rw-------");
    }
    String seen = Files.readString(dir.resolve("fake-agent.txt"));
    assertThat(seen).contains("token=" + b.token(), "--zone " + host.zone(), "--listen 127.0.0.1:0",
        "--ca-fingerprint " + b.caFingerprint());
  }

  @Override
  protected void assertReachable(ZoneHost host) throws Exception {
    String[] hp = host.address().split(":");
    try (Socket s = new Socket(hp[0], Integer.parseInt(hp[1])); InputStream in = s.getInputStream()) {
      assertThat(new String(in.readAllBytes())).isEqualTo("qair-fake-agent\n");
    }
  }

  @Test
  void aRestartedMasterFindsAndStopsTheAgentItStarted() throws Exception {
    ZoneHost h = adapter.provision(request("contract-a"), bootstrap("m"));
    long pid = Long.parseLong(h.providerId().substring(4));
    CloudAdapter afterRestart = createAdapter();
    assertThat(afterRestart.discover("m")).containsExactly(h);
    afterRestart.stop("contract-a");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aRecycledPidIsNeverSignalled() throws Exception {
    adapter.provision(request("contract-a"), bootstrap("m"));
    adapter.stop("contract-a");
    Path dir = tmp.resolve("zones/contract-a");
    // pretend the pid of the stopped agent now belongs to this test JVM
    new LocalZoneRecord("contract-a", "m", ProcessHandle.current().pid(), 1).write(dir);
    assertThat(adapter.describe("contract-a").orElseThrow().state()).isEqualTo(io.qair.cloud.spi.HostState.STOPPED);
    adapter.stop("contract-a");
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  void provisioningOverAStoppedZoneStartsAFreshAgent() throws Exception {
    adapter.provision(request("contract-a"), bootstrap("m"));
    adapter.stop("contract-a");
    Path stale = tmp.resolve("zones/contract-a/agent.pem");
    Files.writeString(stale, "from an earlier enrollment");
    ZoneHost fresh = adapter.provision(request("contract-a"), bootstrap("m"));
    assertThat(fresh.state()).isEqualTo(io.qair.cloud.spi.HostState.RUNNING);
    assertThat(stale).doesNotExist();
  }

  @Test
  void unknownProviderListsTheInstalledOnes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> CloudAdapters.load("nope", new AdapterContext(tmp, Map.of())))
        .hasMessageContaining("local");
  }
}
