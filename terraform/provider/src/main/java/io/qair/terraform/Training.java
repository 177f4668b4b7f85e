package io.qair.terraform;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qair.terraform.impl.ProviderService;
import io.qair.terraform.proto.Tfplugin6;
import java.net.InetSocketAddress;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;

/**
 * {@code PluginMain --train}: goes through start-up as Terraform would make it happen (a P-521
 * client certificate, AutoMTLS, the gRPC server, a schema answer) and exits, so the launcher can
 * record the loaded classes in an AppCDS archive ({@code -XX:ArchiveClassesAtExit}).
 */
final class Training {
  private Training() {}

  static void run() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp521r1"));
    var clientKeys = g.generateKeyPair();
    String clientPem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(AutoMtls.selfSigned(clientKeys, "SHA512withECDSA").getEncoded()) + "\n-----END CERTIFICATE-----\n";
    AutoMtls tls = AutoMtls.create(clientPem);
    ProviderService service = ProviderService.create(Map.of());
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(tls.serverContext()).addService(service).build().start();
    service.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance(), new StreamObserver<>() {
      @Override
      public void onNext(Tfplugin6.GetProviderSchema.Response value) {
        value.toByteArray();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    Msgpack.decode(Msgpack.encode(Map.of("a", Unknown.VALUE)));
    System.err.println("1|6|tcp|127.0.0.1:" + server.getPort() + "|grpc|" + tls.handshakeCert().length());
    server.shutdownNow();
  }
}
