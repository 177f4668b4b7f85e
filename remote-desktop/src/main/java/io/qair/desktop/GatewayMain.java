package io.qair.desktop;

import io.qair.desktop.auth.SessionStore;
import io.qair.protocol.QairException;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java io.qair.desktop.GatewayMain --data-dir DIR --port 8443 --master https://127.0.0.1:7443
 * --master-ca MASTER_DATA/ca/ca.pem --token-file MASTER_DATA/token --client-cert
 * MASTER_DATA/ca/gateway.pem --client-key MASTER_DATA/ca/gateway.key}: runs the desktop gateway
 * until it is stopped (SIGTERM).
 */
@Command(name = "qair-gateway", mixinStandardHelpOptions = true,
    description = "The qair remote-desktop gateway: the browser desktop of every qube.")
public final class GatewayMain implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--data-dir", required = true, description = "the gateway's own files (password, TLS)")
  Path dataDir;
  @Option(names = "--host", defaultValue = GatewayOptions.DEFAULT_HOST, description = "address to listen on (default ${DEFAULT-VALUE})")
  String host;
  @Option(names = "--port", defaultValue = "8443", description = "HTTPS port (default ${DEFAULT-VALUE})")
  int port;
  @Option(names = "--master", defaultValue = "https://127.0.0.1:7443", description = "the master's Admin API")
  URI master;
  @Option(names = "--master-ca", required = true, description = "the master CA: MASTER_DATA/ca/ca.pem")
  Path masterCa;
  @Option(names = "--token-file", required = true, description = "the Admin API token: MASTER_DATA/token")
  Path tokenFile;
  @Option(names = "--client-cert", required = true, description = "MASTER_DATA/ca/gateway.pem")
  Path clientCert;
  @Option(names = "--client-key", required = true, description = "MASTER_DATA/ca/gateway.key")
  Path clientKey;
  @Option(names = "--origin", description = "another https origin the page is served as (behind a proxy); repeatable")
  List<URI> origins = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayMain())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("qair-gateway: " + (e instanceof QairException ? e.getMessage() : e.toString()));
          return 1;
        })
        .execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    System.setProperty("qair.log.file", dataDir.resolve("gateway.log").toString());
    GatewayOptions options = new GatewayOptions(dataDir, host, port, master, masterCa, tokenFile, clientCert, clientKey,
        origins, Clock.systemUTC(), SessionStore.DEFAULT_IDLE);
    Vertx vertx = Vertx.vertx();
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, options).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("qair-gateway: cannot start: " + (cause instanceof QairException ? cause.getMessage()
          : cause.toString()));
      return 1;
    }
    System.out.println("Desktop: " + gateway.url());
    System.out.println("First-login password: " + gateway.firstLoginPasswordFile());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gateway.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // stopping anyway
      }
      vertx.close();
      stop.countDown();
    }, "qair-gateway-stop"));
    stop.await();
    return 0;
  }
}
