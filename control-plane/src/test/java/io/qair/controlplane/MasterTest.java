package io.qair.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.controlplane.api.TestMaster;
import io.qair.controlplane.cli.CliEnv;
import io.qair.controlplane.cli.QairCli;
import io.qair.controlplane.qube.FakeZoneAdmin;
import io.qair.controlplane.qube.FakeZoneRuntime;
import io.qair.controlplane.qube.ZoneAdmin;
import io.qair.controlplane.qube.ZoneRuntime;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void startsWithPrivateFilesAndServesTheCliThenStops() throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeZoneRuntime runtime = TestMaster.await(FakeZoneRuntime.start(vertx));
    Path dir = tmp.resolve("master");
    Master master = TestMaster.await(Master.builder(vertx, dir).port(0).zoneLayer((v, store, d) -> new ZoneLayer() {
      final ZoneAdmin admin = new FakeZoneAdmin(v, store);

      @Override
      public ZoneRuntime runtime() {
        return runtime;
      }

      @Override
      public ZoneAdmin admin() {
        return admin;
      }
    }).start());
    try {
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("token"))).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("qair.db"))).isEqualTo("rw-------");
      assertThat(dir.resolve("ca/ca.pem")).exists();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CliEnv env = new CliEnv(URI.create("https://127.0.0.1:" + master.port()), null, dir.resolve("token"),
          dir.resolve("ca/ca.pem"), new ByteArrayInputStream(new byte[0]), false, out, new ByteArrayOutputStream());
      assertThat(QairCli.commandLine(env).execute("zone", "create", "z1", "--provider", "local")).isZero();
      assertThat(QairCli.commandLine(env).execute("status")).isZero();
      assertThat(TestMaster.utf8(out)).contains("z1: ready at ", "(reachable)", "z1  READY  local");
    } finally {
      TestMaster.await(master.stop());
      TestMaster.await(vertx.close());
    }
  }

  @Test
  void withoutAZoneLayerZoneCallsAreUnavailable() throws Exception {
    Vertx vertx = Vertx.vertx();
    Path dir = tmp.resolve("master");
    Master master = TestMaster.await(Master.builder(vertx, dir).port(0).start());
    try {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      CliEnv env = new CliEnv(URI.create("https://127.0.0.1:" + master.port()), null, dir.resolve("token"),
          dir.resolve("ca/ca.pem"), new ByteArrayInputStream(new byte[0]), false, new ByteArrayOutputStream(), err);
      assertThat(QairCli.commandLine(env).execute("zone", "create", "z1", "--provider", "local")).isEqualTo(7);
      assertThat(TestMaster.utf8(err)).contains("qair: this master has no zone layer");
    } finally {
      TestMaster.await(master.stop());
      TestMaster.await(vertx.close());
    }
  }
}
