package io.qair.desktop;

import io.qair.desktop.fake.GatewayHarness;
import io.qair.desktop.fake.GatewayHarness.Login;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One gateway with its fake master and agent per test class, and a logged-in session. */
abstract class GatewayTestBase {
  @TempDir
  static Path tmp;
  static GatewayHarness h;
  static Login login;

  @BeforeAll
  static void startGateway() throws Exception {
    h = new GatewayHarness(tmp);
    login = h.login();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    h.close();
  }
}
