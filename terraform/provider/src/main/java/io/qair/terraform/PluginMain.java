package io.qair.terraform;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qair.terraform.impl.ProviderService;
import io.qair.terraform.proto.GRPCControllerGrpc;
import io.qair.terraform.proto.GoPlugin;
import io.qair.terraform.proto.HealthGrpc;
import io.qair.terraform.proto.HealthProto;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What Terraform runs: checks the go-plugin magic cookie, starts the gRPC server on loopback
 * (with AutoMTLS when Terraform asks for it) and prints the one handshake line on stdout.
 * Everything else goes to stderr, which Terraform logs.
 */
public final class PluginMain {
  static final String COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
  static final String COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

  private PluginMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream handshake = System.out;
    System.setOut(System.err);
    Map<String, String> env = System.getenv();
    if (args.length == 1 && args[0].equals("--train")) {
      Training.run();
      return;
    }
    if (!COOKIE_VALUE.equals(env.get(COOKIE_KEY))) {
      System.err.println("This is the qair Terraform provider, a plugin Terraform starts itself; it is not"
          + " meant to be run directly. Declare it in required_providers (source = \"qair.dev/qair/qair\")"
          + " and run terraform init.");
      System.exit(1);
    }
    Server[] server = new Server[1];
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .maxInboundMessageSize(256 << 20)
        .addService(ProviderService.create(env))
        .addService(new Controller(() -> server[0]))
        .addService(new Health());
    String cert = "";
    String clientCert = env.get("PLUGIN_CLIENT_CERT");
    if (clientCert != null && !clientCert.isBlank()) {
      AutoMtls tls = AutoMtls.create(clientCert);
      b.sslContext(tls.serverContext());
      cert = tls.handshakeCert();
    }
    server[0] = b.build().start();
    handshake.println("1|6|tcp|127.0.0.1:" + server[0].getPort() + "|grpc|" + cert);
    handshake.flush();
    logStartup(env.get("QAIR_TF_STARTUP_LOG"));
    server[0].awaitTermination();
  }

  /** Benchmarks: appends the milliseconds from the launcher's start to the handshake line. */
  private static void logStartup(String file) {
    String launched = System.getProperty("qair.tf.launched-ns");
    if (file == null || file.isBlank() || launched == null) {
      return;
    }
    try {
      long ms = (System.currentTimeMillis() * 1_000_000L - Long.parseLong(launched)) / 1_000_000L;
      java.nio.file.Files.writeString(java.nio.file.Path.of(file), ms + "\n", java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException | NumberFormatException e) {
      System.err.println("qair provider: cannot log the start-up time: " + e);
    }
  }

  /** go-plugin's controller: Terraform asks the plugin to exit. */
  static final class Controller extends GRPCControllerGrpc.GRPCControllerImplBase {
    private final java.util.function.Supplier<Server> server;

    Controller(java.util.function.Supplier<Server> server) {
      this.server = server;
    }

    @Override
    public void shutdown(GoPlugin.Empty req, StreamObserver<GoPlugin.Empty> out) {
      out.onNext(GoPlugin.Empty.getDefaultInstance());
      out.onCompleted();
      Thread t = new Thread(() -> {
        try {
          server.get().shutdown().awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        System.exit(0);
      }, "plugin-shutdown");
      t.start();
    }
  }

  /** The health check go-plugin pings ("plugin" is always serving). */
  static final class Health extends HealthGrpc.HealthImplBase {
    @Override
    public void check(HealthProto.HealthCheckRequest req, StreamObserver<HealthProto.HealthCheckResponse> out) {
      out.onNext(HealthProto.HealthCheckResponse.newBuilder()
          .setStatus(HealthProto.HealthCheckResponse.ServingStatus.SERVING).build());
      out.onCompleted();
    }
  }
}
