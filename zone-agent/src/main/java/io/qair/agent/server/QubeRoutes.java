package io.qair.agent.server;

import io.qair.agent.spi.IsolationBackend;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.AgentInfo;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/** The enrolled agent's endpoints; every backend call runs on a worker thread. */
final class QubeRoutes {
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final IsolationBackend backend;
  private final String zone;
  private final String version;
  private final EventHub events;
  private final ExecutorService execPool;

  QubeRoutes(Vertx vertx, IsolationBackend backend, String zone, String version, EventHub events,
      ExecutorService execPool) {
    this.vertx = vertx;
    this.backend = backend;
    this.zone = zone;
    this.version = version;
    this.events = events;
    this.execPool = execPool;
  }

  void info(RoutingContext ctx) {
    json(ctx, 200, () -> new AgentInfo(zone, version, backend.name(), backend.templates(), backend.list()));
  }

  void list(RoutingContext ctx) {
    json(ctx, 200, backend::list);
  }

  void start(RoutingContext ctx) {
    String qube = Names.requireQubeName(ctx.pathParam("qube"));
    QubeSpec spec = AgentJson.read(ctx.body().buffer(), QubeSpec.class);
    if (!qube.equals(spec.name())) {
      throw QairException.badRequest("QubeSpec.name '" + Names.printable(spec.name())
          + "' does not match the path '" + qube + "'");
    }
    json(ctx, 200, () -> published(backend.start(spec)));
  }

  void shutdown(RoutingContext ctx) {
    String qube = Names.requireQubeName(ctx.pathParam("qube"));
    boolean force = "true".equals(ctx.queryParams().get("force"));
    json(ctx, 200, () -> published(backend.shutdown(qube, force ? Duration.ZERO : SHUTDOWN_GRACE)));
  }

  /** {@code GET /v1/qubes/:qube/apps?klass=K&template=T}: the qube's applications. */
  void apps(RoutingContext ctx) {
    String qube = Names.requireQubeName(ctx.pathParam("qube"));
    String klass = ctx.queryParams().get("klass");
    String template = ctx.queryParams().get("template");
    if (klass == null) {
      throw QairException.badRequest("apps needs the qube's class (?klass=AppVM)");
    }
    json(ctx, 200, () -> backend.applications(qube, klass, template));
  }

  void remove(RoutingContext ctx) {
    String qube = Names.requireQubeName(ctx.pathParam("qube"));
    vertx.executeBlocking(() -> {
      backend.removeVolumes(qube);
      return null;
    }, false).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  void exec(RoutingContext ctx) {
    String qube = Names.requireQubeName(ctx.pathParam("qube"));
    ctx.request().toWebSocket()
        .onSuccess(ws -> new ExecSession(ws, vertx.getOrCreateContext(), backend, qube, execPool).begin())
        .onFailure(e -> ctx.fail(QairException.badRequest("exec needs a WebSocket upgrade")));
  }

  void events(RoutingContext ctx) {
    ctx.request().toWebSocket()
        .onSuccess(events::subscribe)
        .onFailure(e -> ctx.fail(QairException.badRequest("events needs a WebSocket upgrade")));
  }

  private QubeStatus published(QubeStatus status) {
    events.publish(status);
    return status;
  }

  private void json(RoutingContext ctx, int status, Callable<Object> call) {
    vertx.executeBlocking(call, false)
        .onSuccess(v -> ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(AgentJson.write(v)))
        .onFailure(ctx::fail);
  }
}
