package io.qair.controlplane;

import io.qair.controlplane.qube.QubeDefaults;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the master admin until SIGTERM/SIGINT. Logs go to stderr and to {@code DATA_DIR/master.log}.
 * The zone layer is the first {@link ZoneLayer.Factory} that {@link ServiceLoader} finds.
 */
@Command(name = "qair-master", mixinStandardHelpOptions = true, description = "The qair master admin.")
public final class MasterMain implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", description = "default: $QAIR_HOME/master")
  Path dataDir;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Admin API address (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "7443", description = "Admin API port, 0 for any (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--default-template", defaultValue = "debian-12", description = "default: ${DEFAULT-VALUE}")
  String defaultTemplate;

  @Option(names = "--default-zone", defaultValue = "local", description = "default: ${DEFAULT-VALUE}")
  String defaultZone;

  public static void main(String[] args) {
    System.exit(new CommandLine(new MasterMain()).execute(args));
  }

  static Path defaultDataDir() {
    String home = System.getenv("QAIR_HOME");
    Path base = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".local", "share", "qair");
    return base.resolve("master");
  }

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : defaultDataDir();
    io.qair.protocol.pki.SecureFiles.ownerOnlyDir(dir);
    Path logFile = dir.resolve("master.log");
    if (!Files.exists(logFile)) {
      Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    System.setProperty("qair.log.file", logFile.toString()); // before the first logger
    Logger log = LoggerFactory.getLogger(MasterMain.class);
    System.setProperty("qair.default-zone", defaultZone);
    ZoneLayer.Factory zones = ServiceLoader.load(ZoneLayer.Factory.class).findFirst().orElse(null);
    if (zones == null) {
      log.warn("no zone layer on the classpath: zones cannot be reached");
    }
    Vertx vertx = Vertx.vertx();
    Master.Builder builder = Master.builder(vertx, dir).host(host).port(port)
        .defaults(new QubeDefaults(defaultTemplate, defaultZone));
    if (zones != null) {
      builder.zoneLayer(zones);
    }
    Master master;
    try {
      master = builder.start().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      log.error("the master did not start: {}", e.getCause().getMessage(), e.getCause());
      vertx.close();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping");
      try {
        master.stop().toCompletionStage().toCompletableFuture().get(25, TimeUnit.SECONDS);
        log.info("master stopped");
      } catch (Exception e) {
        log.warn("unclean stop: {}", e.toString());
      }
      try {
        // everything is saved; Vert.x may take long to close idle connections: do not wait long
        vertx.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.debug("Vert.x did not close in time: {}", e.toString());
      }
      stopped.countDown();
    }, "qair-master-stop"));
    stopped.await();
    return 0;
  }
}
