package io.qair.desktop.fake;

import io.qair.desktop.Gateway;
import io.qair.desktop.GatewayOptions;
import io.qair.desktop.auth.PasswordStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A gateway in front of a {@link FakeMaster} and a {@link FakeAgent} (zone {@code local}), with
 * the qubes {@code work} (blue) and {@code untrusted} (red) running, and a browser-like client:
 * HTTPS with the Host and Origin a page on https://127.0.0.1:PORT would send.
 */
public final class GatewayHarness implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final MutableClock clock = new MutableClock();
  public final TestPki pki;
  public final FakeMaster master;
  public final FakeAgent agent;
  public final Gateway gateway;
  public final WebClient web;
  public final WebSocketClient ws;
  public final Path dataDir;

  public GatewayHarness(Path tmp) throws Exception {
    pki = TestPki.create(tmp.resolve("master"));
    master = await(new FakeMaster(vertx).start(pki));
    agent = await(new FakeAgent(vertx, "local").start(pki));
    master.addZone("local", agent.address());
    master.addQube("work", "local", "blue", "RUNNING");
    master.addQube("untrusted", "local", "red", "RUNNING");
    master.addQube("vault", "local", "black", "HALTED");
    dataDir = tmp.resolve("gateway");
    GatewayOptions o = GatewayOptions.forMaster(dataDir, 0, URI.create(master.url()), pki.masterData()).withClock(clock);
    gateway = await(Gateway.start(vertx, o));
    web = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setFollowRedirects(false));
    ws = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setMaxMessageSize(16 * 1024 * 1024));
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public String origin() {
    return "https://127.0.0.1:" + gateway.port();
  }

  public String password() throws Exception {
    return Files.readString(dataDir.resolve(PasswordStore.FIRST_LOGIN_FILE)).strip();
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path) {
    return web.request(method, gateway.port(), "127.0.0.1", path).putHeader("Origin", origin());
  }

  public HttpResponse<Buffer> login(String password) throws Exception {
    return await(request(HttpMethod.POST, "/login").sendJsonObject(new JsonObject().put("password", password)));
  }

  /** Logs in; the session cookie and CSRF token. */
  public Login login() throws Exception {
    HttpResponse<Buffer> r = login(password());
    if (r.statusCode() != 200) {
      throw new AssertionError("login failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    String cookie = r.cookies().get(0).split(";")[0];
    return new Login(cookie, r.bodyAsJsonObject().getString("csrf"));
  }

  public record Login(String cookie, String csrf) {}

  public HttpResponse<Buffer> get(Login l, String path) throws Exception {
    return await(request(HttpMethod.GET, path).putHeader("Cookie", l.cookie()).send());
  }

  public HttpResponse<Buffer> post(Login l, String path, JsonObject body) throws Exception {
    return await(request(HttpMethod.POST, path).putHeader("Cookie", l.cookie()).putHeader("X-Qair-Csrf", l.csrf())
        .sendJsonObject(body));
  }

  /** Opens the display tunnel of {@code qube} as a page would; headers may be left out to try the refusals. */
  public Future<PagePeer> tunnel(String qube, String cookie, String origin) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port()).setSsl(true)
        .setURI("/tunnel?qube=" + qube).setSubProtocols(List.of("guacamole"));
    if (cookie != null) {
      o.addHeader("Cookie", cookie);
    }
    if (origin != null) {
      o.addHeader("Origin", origin);
    } else {
      o.setAllowOriginHeader(false);
    }
    // the page's handler is set before the first message can arrive
    return ws.connect(o).map(PagePeer::new);
  }

  /** Opens the display of {@code qube} as {@code login}'s page and waits until the agent has it. */
  public PagePeer openDisplay(Login login, String qube) throws Exception {
    int before = agent.opened.getOrDefault(qube, List.of()).size();
    PagePeer p = await(tunnel(qube, login.cookie(), origin()));
    eventually(() -> agent.opened.getOrDefault(qube, List.of()).size() > before, "the agent to see the display of " + qube);
    return p;
  }

  /** The agent's side of the display of {@code qube} opened last. */
  public FakeAgent.Display agentDisplay(String qube) {
    List<FakeAgent.Display> d = agent.opened.get(qube);
    return d.get(d.size() - 1);
  }

  public static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      await(gateway.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
