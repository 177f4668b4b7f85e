package io.qair.controlplane.api;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that need a fresh {@link TestMaster} each: {@code m}. */
public abstract class WithTestMaster {
  @TempDir protected Path tmp;
  protected TestMaster m;

  @BeforeEach
  void startMaster() throws Exception {
    m = TestMaster.start(tmp);
  }

  @AfterEach
  void stopMaster() throws Exception {
    m.close();
  }
}
