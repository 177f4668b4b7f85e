package io.qair.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.controlplane.qube.FakeZoneAdmin;
import io.qair.controlplane.qube.FakeZoneRuntime;
import io.qair.controlplane.store.Store;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiServerTest {
  @TempDir Path tmp;

  @Test
  void refusesToStartWithoutItsOpenApiDescription() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Store store = Store.open(tmp)) {
      var start = AdminApiServer.builder(vertx, store)
          .runtime(TestMaster.await(FakeZoneRuntime.start(vertx)))
          .zoneAdmin(new FakeZoneAdmin(vertx, store))
          .token(ApiToken.of("t"))
          .tls(io.vertx.core.net.KeyCertOptions.wrap(io.qair.controlplane.zone.MasterPki.loadOrCreate(tmp).serverKeyManager()))
          .port(0)
          .policy(io.qair.controlplane.Master.openPolicy(tmp))
          .openApi("io/qair/controlplane/api/missing.yaml")
          .start();
      assertThatThrownBy(() -> TestMaster.await(start))
          .hasMessageContaining("missing.yaml is missing from the classpath");
    } finally {
      TestMaster.await(vertx.close());
    }
  }

  @Test
  void theTokenIsMadeOnceAndPrivate() throws Exception {
    ApiToken.loadOrCreate(tmp);
    Path file = tmp.resolve(ApiToken.FILE);
    String token = Files.readString(file).strip();
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    ApiToken.loadOrCreate(tmp);
    assertThat(Files.readString(file).strip()).isEqualTo(token);
  }

  @Test
  void everyOperationOfTheDescriptionIsImplemented() {
    OpenApi spec = OpenApi.load(OpenApi.RESOURCE);
    assertThat(spec.operations()).hasSize(36);
    assertThat(spec.operations()).extracting(OpenApi.Operation::path).contains("/api/v1/qubes/{qube}/exec",
        "/api/v1/events", "/api/v1/labels");
  }
}
