package io.qair.agent.sandbox;

import io.qair.agent.spi.BackendConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away zone for sandbox tests: a short data directory under /tmp, a template store whose
 * {@code debian-12/root} links to the prepared template ({@code QAIR_TEST_TEMPLATE_ROOT}, default
 * {@code /var/cache/qair/templates/debian-12/root}), the guest daemon built by Maven, and a
 * private uid claim directory so tests never collide with a real agent.
 */
public final class SandboxFixture implements AutoCloseable {
  public static final String TEMPLATE = "debian-12";
  public final Path home;
  public final BackendConfig config;

  public SandboxFixture() throws IOException {
    if (!Files.isDirectory(templateRoot().resolve("usr/bin"))) {
      throw new IllegalStateException("no test template at " + templateRoot() + ": build one with"
          + " ./qair test (it builds the template), or point QAIR_TEST_TEMPLATE_ROOT at a Debian root");
    }
    String zone = "t" + UUID.randomUUID().toString().substring(0, 8);
    home = Files.createTempDirectory(Path.of("/tmp"), "qs");
    Path templates = Files.createDirectories(home.resolve("tpl").resolve(TEMPLATE));
    Files.createSymbolicLink(templates.resolve("root"), templateRoot());
    System.setProperty("qair.sandbox.uidClaims", "/tmp/qair-test-uids");
    config = new BackendConfig(home.resolve("d"), home.resolve("tpl"), guestBinary(), zone);
  }

  static Path templateRoot() {
    String p = System.getProperty("QAIR_TEST_TEMPLATE_ROOT", System.getenv().getOrDefault(
        "QAIR_TEST_TEMPLATE_ROOT", "/var/cache/qair/templates/debian-12/root"));
    return Path.of(p);
  }

  public static Path guestBinary() {
    return Path.of(System.getProperty("qair.guest.binary", "target/guest/qair-guest")).toAbsolutePath();
  }

  SandboxIsolationBackend newBackend() {
    SandboxIsolationBackend b = new SandboxIsolationBackend();
    b.init(config);
    return b;
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> s = Files.walk(home)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
