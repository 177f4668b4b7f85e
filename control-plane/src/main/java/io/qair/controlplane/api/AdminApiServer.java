package io.qair.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.controlplane.api.ops.Operations;
import io.qair.controlplane.events.EventFeed;
import io.qair.controlplane.policy.AskQueue;
import io.qair.controlplane.policy.PolicyStore;
import io.qair.controlplane.qrexec.AskEvents;
import io.qair.controlplane.qube.QubeDefaults;
import io.qair.controlplane.qube.ZoneAdmin;
import io.qair.controlplane.qube.ZoneRuntime;
import io.qair.controlplane.store.Store;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Admin API: HTTPS, bearer token, every route taken from the OpenAPI description and every
 * request validated against it before its {@link Operation} runs. Build it with {@link #builder}.
 */
public final class AdminApiServer {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7443;
  /** Largest request body; more is answered 413. */
  public static final int BODY_LIMIT = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(AdminApiServer.class);

  private final HttpServer server;
  private final Services services;

  private AdminApiServer(HttpServer server, Services services) {
    this.server = server;
    this.services = services;
  }

  public static Builder builder(Vertx vertx, Store store) {
    return new Builder(vertx, store);
  }

  /** The port it listens on (the real one when it was started with port 0). */
  public int port() {
    return server.actualPort();
  }

  public Services services() {
    return services;
  }

  /**
   * Stops listening; open event streams are ended, exec calls get up to 5 seconds to finish;
   * pending {@code ask} questions are denied.
   */
  public Future<Void> close() {
    return server.shutdown(java.time.Duration.ofSeconds(5)).eventually(() -> services.vertx().executeBlocking(() -> {
      services.asks().close();
      return null;
    }, false));
  }

  /** Wiring for the Admin API. Runtime, zone admin, token and TLS are required. */
  public static final class Builder {
    private final Vertx vertx;
    private final Store store;
    private ZoneRuntime runtime;
    private ZoneAdmin zoneAdmin;
    private ApiToken token;
    private KeyCertOptions tls;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private QubeDefaults defaults = QubeDefaults.standard();
    private String openApi = OpenApi.RESOURCE;
    private PolicyStore policy;
    private java.time.Duration askTimeout = AskQueue.DEFAULT_TIMEOUT;

    private Builder(Vertx vertx, Store store) {
      this.vertx = vertx;
      this.store = store;
    }

    public Builder runtime(ZoneRuntime r) {
      this.runtime = r;
      return this;
    }

    public Builder zoneAdmin(ZoneAdmin z) {
      this.zoneAdmin = z;
      return this;
    }

    public Builder token(ApiToken t) {
      this.token = t;
      return this;
    }

    /** The server's key and certificate: a PemKeyCertOptions, or {@code KeyCertOptions.wrap(keyManager)}. */
    public Builder tls(KeyCertOptions t) {
      this.tls = t;
      return this;
    }

    public Builder host(String h) {
      this.host = h;
      return this;
    }

    /** 0 picks a free port (tests). */
    public Builder port(int p) {
      this.port = p;
      return this;
    }

    public Builder defaults(QubeDefaults d) {
      this.defaults = d;
      return this;
    }

    /** The qrexec policy (required): {@link PolicyStore#open} on the master's {@code policy.d}. */
    public Builder policy(PolicyStore p) {
      this.policy = p;
      return this;
    }

    /** How long an {@code ask} waits for the user before it is denied (default 60 s). */
    public Builder askTimeout(java.time.Duration t) {
      this.askTimeout = t;
      return this;
    }

    /** The classpath resource of the OpenAPI description (tests only). */
    public Builder openApi(String resource) {
      this.openApi = resource;
      return this;
    }

    /** Loads the OpenAPI description, builds the routes and listens. */
    public Future<AdminApiServer> start() {
      Services services;
      Router router;
      try {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(zoneAdmin, "zoneAdmin");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(policy, "policy");
        OpenApi spec = OpenApi.load(openApi);
        AskQueue asks = AskQueue.create(askTimeout);
        asks.addListener(new AskEvents(store));
        services = Services.create(vertx, store, runtime, zoneAdmin, defaults, EventFeed.attach(vertx, store), policy,
            asks, spec);
        router = router(services, token);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      HttpServerOptions options = new HttpServerOptions()
          .setHost(host)
          .setPort(port)
          .setSsl(true)
          .setSslEngineOptions(io.qair.controlplane.zone.MasterPki.sslEngine())
          .setKeyCertOptions(tls)
          .setMaxWebSocketMessageSize(2 * BODY_LIMIT);
      return vertx.createHttpServer(options).requestHandler(router).listen().map(server -> {
        LOG.info("Admin API listening on https://{}:{}", host, server.actualPort());
        return new AdminApiServer(server, services);
      });
    }
  }

  private static Router router(Services s, ApiToken token) {
    ObjectMapper json = new ObjectMapper();
    Map<String, Operation> ops = Operations.all(s);
    Set<String> routed = new HashSet<>();
    Router router = Router.router(s.vertx());
    ErrorResponses errors = new ErrorResponses(json, BODY_LIMIT);
    router.route("/api/*").handler(token);
    for (OpenApi.Operation op : s.spec().operations()) {
      Operation impl = ops.get(op.id());
      if (impl == null) {
        throw new IllegalStateException("operation " + op.id() + " of the OpenAPI description has no implementation");
      }
      routed.add(op.id());
      Route route = router.route(HttpMethod.valueOf(op.method()), op.path().replaceAll("\\{([^}]+)}", ":$1"));
      if (op.bodySchema() != null) {
        route.handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
      }
      RequestValidation validation = new RequestValidation(op, s.validator(), json);
      route.handler(ctx -> {
        try {
          impl.handle(validation.validate(ctx)).onComplete(ar -> reply(ctx, ar, json));
        } catch (RuntimeException e) {
          ctx.fail(e);
        }
      });
    }
    Set<String> unrouted = new HashSet<>(ops.keySet());
    unrouted.removeAll(routed);
    if (!unrouted.isEmpty()) {
      throw new IllegalStateException("operations missing from the OpenAPI description: " + unrouted);
    }
    router.route().failureHandler(errors);
    router.errorHandler(404, errors);
    router.errorHandler(405, errors);
    return router;
  }

  private static void reply(RoutingContext ctx, AsyncResult<Reply> ar, ObjectMapper json) {
    if (ar.failed()) {
      ctx.fail(ar.cause());
      return;
    }
    Reply reply = ar.result();
    if (reply == Reply.HANDLED || ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(reply.status());
    if (reply.body() == null) {
      ctx.response().end();
      return;
    }
    try {
      ctx.response().putHeader("Content-Type", "application/json").end(json.writeValueAsString(reply.body()));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }
}
