package io.qair.cloud.bootstrap;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The environment of the *LiveTests (docs/cloud-zones.md): a missing variable skips the test. */
public final class LiveEnv {
  private LiveEnv() {}

  public static String require(String name) {
    String v = System.getenv(name);
    assumeTrue(v != null && !v.isBlank(), name + " is not set: see docs/cloud-zones.md, live tests");
    return v;
  }
}
