package io.qair.desktop.fake;

import io.qair.protocol.Label;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The master's Admin API as far as the gateway uses it, in memory: labels, zones, qubes, start and
 * shutdown, apps (404 unless set), policy eval (scripted), asks and their answers, the event
 * stream, and exec (recorded; the call stays open until the test ends it).
 */
public final class FakeMaster {
  public final Map<String, JsonObject> qubes = new ConcurrentHashMap<>();
  public final List<JsonObject> zones = new CopyOnWriteArrayList<>();
  public final List<JsonObject> asks = new CopyOnWriteArrayList<>();
  public final List<JsonObject> evals = new CopyOnWriteArrayList<>();
  public final List<JsonObject> answers = new CopyOnWriteArrayList<>();
  public final List<List<String>> execs = new CopyOnWriteArrayList<>();
  public final List<ServerWebSocket> execSockets = new CopyOnWriteArrayList<>();
  public final Map<String, JsonArray> apps = new ConcurrentHashMap<>();
  public volatile BiFunction<String, String, String> clipboardPolicy = (source, target) -> "deny";
  public volatile BiConsumer<String, List<String>> onExec = (qube, argv) -> { };
  private final List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();
  private final AtomicLong eventIds = new AtomicLong();
  private final Vertx vertx;
  private HttpServer server;

  public FakeMaster(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<FakeMaster> start(TestPki pki) {
    Router r = Router.router(vertx);
    r.route().handler(ctx -> {
      if (!("Bearer " + TestPki.TOKEN).equals(ctx.request().getHeader("Authorization"))) {
        ctx.response().setStatusCode(401).end(new JsonObject().put("error", "UNAUTHENTICATED").put("message", "bad token").encode());
        return;
      }
      ctx.next();
    });
    r.route().handler(BodyHandler.create());
    r.get("/api/v1/labels").handler(ctx -> {
      JsonArray a = new JsonArray();
      for (Label l : Label.values()) {
        a.add(new JsonObject().put("name", l.wireName()).put("color", l.color()));
      }
      ctx.json(a);
    });
    r.get("/api/v1/zones").handler(ctx -> ctx.json(new JsonArray(List.copyOf(zones))));
    r.get("/api/v1/qubes").handler(ctx -> ctx.json(new JsonArray(List.copyOf(qubes.values()))));
    r.get("/api/v1/qubes/:q").handler(ctx -> withQube(ctx, q -> ctx.json(q)));
    r.post("/api/v1/qubes/:q/start").handler(ctx -> withQube(ctx, q -> {
      q.put("state", "RUNNING");
      emit("qube-state", q.getString("name"), new JsonObject().put("state", "RUNNING"));
      ctx.json(q);
    }));
    r.post("/api/v1/qubes/:q/shutdown").handler(ctx -> withQube(ctx, q -> {
      q.put("state", "HALTED");
      emit("qube-state", q.getString("name"), new JsonObject().put("state", "HALTED"));
      ctx.json(q);
    }));
    r.get("/api/v1/qubes/:q/apps").handler(ctx -> {
      JsonArray a = apps.get(ctx.pathParam("q"));
      if (a == null) {
        ctx.response().setStatusCode(404).end(new JsonObject().put("error", "NOT_FOUND")
            .put("message", "no such API path: GET " + ctx.request().path()).encode());
      } else {
        ctx.json(a);
      }
    });
    r.post("/api/v1/policy/eval").handler(ctx -> {
      JsonObject req = ctx.body().asJsonObject();
      evals.add(req);
      String action = clipboardPolicy.apply(req.getString("source"), req.getString("target"));
      ctx.json(new JsonObject().put("action", action).put("summary", action + " (fake)"));
    });
    r.get("/api/v1/policy/asks").handler(ctx -> ctx.json(new JsonArray(List.copyOf(asks))));
    r.post("/api/v1/policy/asks/:id").handler(ctx -> {
      answers.add(ctx.body().asJsonObject().copy().put("id", ctx.pathParam("id")));
      asks.removeIf(a -> a.getString("id").equals(ctx.pathParam("id")));
      emit("policy-ask-answered", ctx.pathParam("id"), new JsonObject());
      ctx.json(new JsonObject().put("action", "allow").put("summary", "allowed (fake)"));
    });
    r.get("/api/v1/events").handler(ctx -> {
      HttpServerResponse resp = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
      resp.write(": fake\n\n");
      streams.add(resp);
      resp.closeHandler(v -> streams.remove(resp));
    });
    r.get("/api/v1/qubes/:q/exec").handler(this::exec);
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(pki.server("qair-master"))
        .setHost("127.0.0.1").setPort(0));
    return server.requestHandler(r).listen().map(s -> this);
  }

  private void exec(RoutingContext ctx) {
    String qube = ctx.pathParam("q");
    ctx.request().toWebSocket().onSuccess(ws -> {
      execSockets.add(ws);
      ws.textMessageHandler(text -> {
        JsonObject req = new JsonObject(text);
        List<String> argv = req.getJsonArray("argv").stream().map(String::valueOf).toList();
        execs.add(argv);
        onExec.accept(qube, argv);
      });
      ws.binaryMessageHandler(b -> { });
    });
  }

  /** Ends every exec call with exit code {@code code}. */
  public void exitAll(int code, String stderr) {
    for (ServerWebSocket ws : execSockets) {
      if (!stderr.isEmpty()) {
        ws.writeBinaryMessage(Buffer.buffer(new Frame(FrameType.STDERR, stderr.getBytes()).encode()));
      }
      ws.writeBinaryMessage(Buffer.buffer(Frame.exit(code).encode()));
    }
  }

  private void withQube(RoutingContext ctx, java.util.function.Consumer<JsonObject> then) {
    JsonObject q = qubes.get(ctx.pathParam("q"));
    if (q == null) {
      ctx.response().setStatusCode(404).end(new JsonObject().put("error", "NOT_FOUND")
          .put("message", "no qube " + ctx.pathParam("q")).encode());
      return;
    }
    then.accept(q);
  }

  public void addZone(String name, String address) {
    zones.add(new JsonObject().put("name", name).put("provider", "local").put("state", "READY")
        .put("address", address).put("qubes", 0));
  }

  public void addQube(String name, String zone, String label, String state) {
    qubes.put(name, new JsonObject().put("name", name).put("klass", "AppVM").put("state", state).put("zone", zone)
        .put("label", label).put("memory", 400).put("vcpus", 2));
  }

  public void emit(String type, String subject, JsonObject data) {
    long id = eventIds.incrementAndGet();
    JsonObject e = new JsonObject().put("id", id).put("type", type).put("subject", subject).put("data", data)
        .put("timestamp", System.currentTimeMillis());
    vertx.runOnContext(v -> streams.forEach(s -> s.write("id: " + id + "\nevent: " + type + "\ndata: " + e.encode() + "\n\n")));
  }

  public int eventStreams() {
    return streams.size();
  }

  public String url() {
    return "https://127.0.0.1:" + server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
