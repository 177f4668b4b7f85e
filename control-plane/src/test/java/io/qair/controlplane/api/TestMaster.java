package io.qair.controlplane.api;

import io.qair.controlplane.cli.CliEnv;
import io.qair.controlplane.qube.FakeZoneAdmin;
import io.qair.controlplane.qube.FakeZoneRuntime;
import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.Tx;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.Label;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A master admin in this JVM for tests: a store in a temporary directory with zone {@code local}
 * READY and TemplateVM {@code debian-12}, the fake zone layer, and the Admin API on a free port.
 */
public final class TestMaster implements AutoCloseable {
  public final Vertx vertx;
  public final Store store;
  public final FakeZoneRuntime runtime;
  public final FakeZoneAdmin zoneAdmin;
  public final AdminApiServer server;
  public final Path dataDir;
  public final String token;
  private final HttpClient http;

  private TestMaster(Vertx vertx, Store store, FakeZoneRuntime runtime, FakeZoneAdmin zoneAdmin, AdminApiServer server,
      Path dataDir) throws Exception {
    this.vertx = vertx;
    this.store = store;
    this.runtime = runtime;
    this.zoneAdmin = zoneAdmin;
    this.server = server;
    this.dataDir = dataDir;
    this.token = Files.readString(dataDir.resolve(ApiToken.FILE)).strip();
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(caPem())).build();
  }

  public static TestMaster start(Path tmp) throws Exception {
    return start(tmp, io.qair.controlplane.policy.AskQueue.DEFAULT_TIMEOUT);
  }

  /** A master whose qrexec {@code ask} questions are denied after {@code askTimeout}. */
  public static TestMaster start(Path tmp, java.time.Duration askTimeout) throws Exception {
    Path dataDir = tmp.resolve("master");
    Vertx vertx = Vertx.vertx();
    Store store = Store.open(dataDir);
    store.insertZone(ZoneRow.pending("local", "local", null, Map.of()));
    store.updateZone("local", ZoneState.READY, "127.0.0.1:7444", null, null, null);
    store.write(tx -> tx.insertQube(new QubeRow("debian-12", QubeClass.TemplateVM, "local", Label.BLACK, null, null,
        400, 2, QubeState.HALTED, 0)));
    FakeZoneRuntime runtime = await(FakeZoneRuntime.start(vertx));
    FakeZoneAdmin zoneAdmin = new FakeZoneAdmin(vertx, store);
    AdminApiServer server = await(AdminApiServer.builder(vertx, store)
        .runtime(runtime)
        .zoneAdmin(zoneAdmin)
        .token(ApiToken.loadOrCreate(dataDir))
        .tls(io.vertx.core.net.KeyCertOptions.wrap(io.qair.controlplane.zone.MasterPki.loadOrCreate(dataDir).serverKeyManager()))
        .port(0)
        .policy(io.qair.controlplane.Master.openPolicy(dataDir))
        .askTimeout(askTimeout)
        .start());
    return new TestMaster(vertx, store, runtime, zoneAdmin, server, dataDir);
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  public Path caPem() {
    return dataDir.resolve("ca").resolve("ca.pem");
  }

  public URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.port());
  }

  public HttpClient http() {
    return http;
  }

  /** An HTTP answer: status and body text. */
  public record Answer(int status, String body) {}

  public Answer call(String method, String path, String jsonBody) throws Exception {
    return call(method, path, jsonBody, token);
  }

  public Answer call(String method, String path, String jsonBody, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint() + path)).timeout(Duration.ofSeconds(20))
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** Everything the store holds that a request could change, as text; equal snapshots mean "unchanged". */
  public String snapshot() {
    return store.read(tx -> {
      StringBuilder sb = new StringBuilder();
      for (ZoneRow z : tx.zones()) {
        sb.append(z.name()).append(z.state()).append(z.options()).append('\n');
      }
      for (QubeRow q : tx.qubes()) {
        sb.append(q).append(tx.tags(q.name())).append(tx.features(q.name())).append(tx.storedProperties(q.name()))
            .append('\n');
      }
      sb.append("last event ").append(tx.lastEventId());
      return sb.toString();
    });
  }

  public long lastEventId() {
    return store.<Long>read(Tx::lastEventId);
  }

  /** A CLI environment pointed at this master, with captured output. */
  public CliEnv cliEnv(String token, InputStream stdin, ByteArrayOutputStream out, ByteArrayOutputStream err) {
    return new CliEnv(endpoint(), token, dataDir.resolve("no-token-file"), caPem(),
        stdin == null ? new ByteArrayInputStream(new byte[0]) : stdin, false, out, err);
  }

  public static SSLContext trusting(Path pem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      ks.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  public static String utf8(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    try {
      await(server.close());
    } finally {
      await(vertx.close());
      store.close();
    }
  }
}
