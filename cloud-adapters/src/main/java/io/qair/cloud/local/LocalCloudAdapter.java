package io.qair.cloud.local;

import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.HostState;
import io.qair.cloud.spi.ZoneHost;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.pki.SecureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: each zone is a zone agent process on this machine, listening on
 * 127.0.0.1 on a port it picks, with its data in {@code STATE_DIR/ZONE} (the master passes
 * {@code $QAIR_HOME/zones}).
 *
 * <p>Settings (from {@link AdapterContext#settings()}):
 *
 * <ul>
 *   <li>{@code agent.dist}: a directory with {@code qair-zone-agent.jar} (or the build's
 *       {@code qair-zone-agent-VERSION.jar}), {@code lib/} and optionally {@code guest/qair-guest}
 *       (default: system property {@code qair.agent.dist}, then env {@code QAIR_AGENT_DIST})
 *   <li>{@code agent.classpath}: an explicit class path instead of a dist directory
 *   <li>{@code agent.main}: the main class (default {@code io.qair.agent.AgentMain})
 *   <li>{@code agent.backend}, {@code agent.templates-dir} (default: system property
 *       {@code qair.templates.dir}), {@code agent.guest-binary} (default: {@code DIST/guest/qair-guest}):
 *       passed to the agent
 *   <li>{@code java}: the java launcher (default: this JVM's)
 *   <li>{@code agent.startup-timeout}: seconds to wait for the agent to listen (default 60)
 * </ul>
 */
public final class LocalCloudAdapter implements CloudAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCloudAdapter.class);
  public static final String NAME = "local";
  static final String TOKEN_FILE = "enroll.token";
  static final String CA_FILE = "ca.pem";
  /** The agent's pid, for {@code ./qair down} (the state file says the same for the master). */
  static final String PID_FILE = "agent.pid";
  static final String DEFAULT_MAIN = "io.qair.agent.AgentMain";
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private AdapterContext context;
  private Path zonesDir;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void init(AdapterContext context) {
    this.context = context;
    this.zonesDir = SecureFiles.ownerOnlyDir(context.stateDir());
  }

  @Override
  public Optional<String> unavailableReason() {
    if (context.setting("agent.classpath").isPresent()) {
      return Optional.empty();
    }
    Optional<Path> dist = dist();
    if (dist.isEmpty()) {
      return Optional.of("no zone agent distribution: set qair.agent.dist or QAIR_AGENT_DIST to the"
          + " directory holding qair-zone-agent.jar and lib/");
    }
    if (agentJar(dist.get()).isEmpty()) {
      return Optional.of(dist.get() + " does not hold qair-zone-agent.jar (or qair-zone-agent-VERSION.jar)");
    }
    return Optional.empty();
  }

  /** {@code qair-zone-agent.jar}, or the build's {@code qair-zone-agent-VERSION.jar}. */
  static Optional<Path> agentJar(Path dist) {
    Path plain = dist.resolve("qair-zone-agent.jar");
    if (Files.isRegularFile(plain)) {
      return Optional.of(plain);
    }
    try (Stream<Path> files = Files.list(dist)) {
      return files.filter(f -> {
        String n = f.getFileName().toString();
        return n.startsWith("qair-zone-agent-") && n.endsWith(".jar") && !n.endsWith("-tests.jar")
            && !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar");
      }).sorted().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized ZoneHost provision(ZoneRequest request, Bootstrap bootstrap) {
    String zone = Names.requireZoneName(request.name());
    Optional<ZoneHost> existing = describe(zone);
    if (existing.isPresent() && existing.get().state() == HostState.RUNNING) {
      return existing.get();
    }
    if (existing.isPresent() || Files.exists(zoneDir(zone))) {
      // a host that is not running is not worth keeping: a new enrollment needs a fresh agent
      deprovision(zone);
    }
    Path dir = SecureFiles.ownerOnlyDir(zoneDir(zone));
    SecureFiles.writePrivate(dir.resolve(TOKEN_FILE), bootstrap.token() + "\n");
    SecureFiles.writePrivate(dir.resolve(CA_FILE), bootstrap.caCertPem());
    new LocalZoneRecord(zone, bootstrap.masterId(), 0, 0).write(dir);
    return launch(zone, bootstrap.caFingerprint());
  }

  @Override
  public synchronized Optional<ZoneHost> describe(String zone) {
    Path dir = zoneDir(Names.requireZoneName(zone));
    return LocalZoneRecord.read(dir).map(r -> host(dir, r));
  }

  @Override
  public synchronized ZoneHost start(String zone) {
    Path dir = zoneDir(Names.requireZoneName(zone));
    LocalZoneRecord r = LocalZoneRecord.read(dir)
        .orElseThrow(() -> QairException.notFound("local zone '" + zone + "' has no host to start"));
    ZoneHost h = host(dir, r);
    return h.state() == HostState.RUNNING ? h : launch(zone, null);
  }

  @Override
  public synchronized void stop(String zone) {
    Path dir = zoneDir(Names.requireZoneName(zone));
    LocalZoneRecord.read(dir).ifPresent(r -> {
      AgentProcess.find(r.pid(), mainClass(), dir).ifPresent(h -> {
        LOG.info("stopping local zone agent {} (pid {})", zone, h.pid());
        AgentProcess.stop(h, STOP_GRACE);
      });
      r.withProcess(0, r.port()).write(dir);
      try {
        Files.deleteIfExists(dir.resolve(PID_FILE));
      } catch (IOException e) {
        LOG.debug("cannot remove {}: {}", dir.resolve(PID_FILE), e.toString());
      }
    });
  }

  @Override
  public synchronized void deprovision(String zone) {
    Path dir = zoneDir(Names.requireZoneName(zone));
    if (!Files.exists(dir)) {
      return;
    }
    stop(zone);
    deleteTree(dir);
  }

  @Override
  public synchronized List<ZoneHost> discover(String masterId) {
    List<ZoneHost> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(zonesDir)) {
      for (Path dir : dirs.sorted().toList()) {
        LocalZoneRecord.read(dir)
            .filter(r -> masterId.equals(r.masterId()) && dir.getFileName().toString().equals(r.zone()))
            .ifPresent(r -> out.add(host(dir, r)));
      }
    } catch (IOException e) {
      throw QairException.unavailable("cannot list local zones in " + zonesDir + ": " + e.getMessage(), e);
    }
    return out;
  }

  private ZoneHost host(Path dir, LocalZoneRecord r) {
    boolean alive = AgentProcess.find(r.pid(), mainClass(), dir).isPresent();
    return new ZoneHost(r.zone(), r.port() > 0 ? "127.0.0.1:" + r.port() : null,
        r.pid() > 0 ? "pid:" + r.pid() : "local:" + r.zone(), alive ? HostState.RUNNING : HostState.STOPPED);
  }

  private ZoneHost launch(String zone, String caFingerprint) {
    Path dir = zoneDir(zone);
    LocalZoneRecord r = LocalZoneRecord.read(dir)
        .orElseThrow(() -> QairException.notFound("local zone '" + zone + "' has no record"));
    List<String> cmd = command(zone, dir, caFingerprint);
    long timeout = context.setting("agent.startup-timeout").map(Long::parseLong).orElse(60L);
    LOG.info("starting local zone agent {}", zone);
    AgentProcess.LaunchResult started = AgentProcess.launch(cmd, dir, Duration.ofSeconds(timeout));
    r.withProcess(started.pid(), started.port()).write(dir);
    SecureFiles.writePrivate(dir.resolve(PID_FILE), started.pid() + "\n");
    return new ZoneHost(zone, "127.0.0.1:" + started.port(), "pid:" + started.pid(), HostState.RUNNING);
  }

  /** The agent's command line. */
  List<String> command(String zone, Path dir, String caFingerprint) {
    List<String> cmd = new ArrayList<>();
    cmd.add(context.setting("java").orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    context.setting("agent.jvm-options").ifPresent(o -> cmd.addAll(List.of(o.trim().split("\\s+"))));
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(mainClass());
    cmd.addAll(List.of("--data-dir", dir.toAbsolutePath().toString(), "--zone", zone,
        "--listen", "127.0.0.1:0", "--ca-cert", dir.resolve(CA_FILE).toAbsolutePath().toString()));
    if (caFingerprint != null) {
      cmd.addAll(List.of("--ca-fingerprint", caFingerprint));
    }
    if (Files.exists(dir.resolve(TOKEN_FILE))) {
      cmd.addAll(List.of("--token-file", dir.resolve(TOKEN_FILE).toAbsolutePath().toString()));
    }
    cmd.addAll(List.of("--backend", context.setting("agent.backend").orElse("sandbox")));
    context.setting("agent.templates-dir").or(() -> Optional.ofNullable(System.getProperty("qair.templates.dir")))
        .ifPresent(t -> cmd.addAll(List.of("--templates-dir", t)));
    context.setting("agent.guest-binary")
        .or(() -> dist().map(d -> d.resolve("guest/qair-guest")).filter(Files::isRegularFile).map(Path::toString))
        .ifPresent(g -> cmd.addAll(List.of("--guest-binary", g)));
    return cmd;
  }

  private String classpath() {
    Optional<String> explicit = context.setting("agent.classpath");
    if (explicit.isPresent()) {
      return explicit.get();
    }
    Path dist = dist().orElseThrow(() -> QairException.unavailable(unavailableReason().orElse("no agent dist"), null));
    Path jar = agentJar(dist).orElseThrow(() -> QairException.unavailable(unavailableReason().orElse("no agent jar"), null));
    return jar + java.io.File.pathSeparator + dist.resolve("lib") + "/*";
  }

  private Optional<Path> dist() {
    return context.setting("agent.dist")
        .or(() -> Optional.ofNullable(System.getProperty("qair.agent.dist")))
        .or(() -> Optional.ofNullable(System.getenv("QAIR_AGENT_DIST")))
        .filter(s -> !s.isBlank())
        .map(Path::of);
  }

  private String mainClass() {
    return context.setting("agent.main").orElse(DEFAULT_MAIN);
  }

  private Path zoneDir(String zone) {
    Path dir = zonesDir.resolve(zone).normalize();
    if (!dir.getParent().equals(zonesDir.normalize())) {
      throw QairException.badRequest("invalid zone name");
    }
    return dir;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
