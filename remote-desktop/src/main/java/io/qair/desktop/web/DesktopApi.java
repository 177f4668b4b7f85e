package io.qair.desktop.web;

import io.qair.desktop.auth.Session;
import io.qair.desktop.master.AppLauncher;
import io.qair.desktop.master.MasterClient;
import io.qair.desktop.tunnel.UntrustedText;
import io.qair.protocol.Label;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The page's JSON API, on top of the master's Admin API: the qube menu (qubes grouped by zone
 * with label colours), start and shutdown, the application menu and launching from it, and the
 * pending {@code ask} decisions with their answers. Every route is behind {@link SessionGuard}.
 */
final class DesktopApi {
  private static final Pattern COLOR = Pattern.compile("#[0-9a-f]{6}");
  private static final Pattern ASK_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final MasterClient master;
  private final AppLauncher launcher;

  DesktopApi(MasterClient master, AppLauncher launcher) {
    this.master = master;
    this.launcher = launcher;
  }

  void mount(Router router) {
    router.get("/api/session").handler(this::session);
    router.get("/api/desktop").handler(ctx -> reply(ctx, desktop()));
    router.post("/api/qubes/:qube/start").handler(ctx -> reply(ctx, master.start(qube(ctx)).map(DesktopApi::state)));
    router.post("/api/qubes/:qube/shutdown")
        .handler(ctx -> reply(ctx, master.shutdown(qube(ctx)).map(DesktopApi::state)));
    router.get("/api/qubes/:qube/apps").handler(ctx -> reply(ctx, apps(qube(ctx)).map(Apps::toJson)));
    router.post("/api/qubes/:qube/launch").handler(this::launch);
    router.get("/api/asks").handler(ctx -> reply(ctx, master.asks().map(DesktopApi::asks)));
    router.post("/api/asks/:id").handler(this::answer);
  }

  private void session(RoutingContext ctx) {
    ctx.json(new JsonObject().put("csrf", SessionGuard.session(ctx).csrfToken()));
  }

  private Future<JsonObject> desktop() {
    return Future.all(master.labels(), master.zones(), master.qubes()).map(all -> {
      Map<String, String> colors = new LinkedHashMap<>();
      for (Label l : Label.values()) {
        colors.put(l.wireName(), l.color());
      }
      for (Object o : all.<JsonArray>resultAt(0)) {
        if (o instanceof JsonObject l && l.getValue("name") instanceof String n && l.getValue("color") instanceof String c
            && COLOR.matcher(c).matches()) {
          colors.put(n, c);
        }
      }
      Map<String, JsonObject> zones = new LinkedHashMap<>();
      for (Object o : all.<JsonArray>resultAt(1)) {
        if (o instanceof JsonObject z && z.getValue("name") instanceof String n) {
          zones.put(n, new JsonObject().put("name", n).put("state", z.getString("state", "UNKNOWN"))
              .put("qubes", new JsonArray()));
        }
      }
      for (Object o : all.<JsonArray>resultAt(2)) {
        if (!(o instanceof JsonObject q) || !(q.getValue("name") instanceof String name)) {
          continue;
        }
        String zone = q.getValue("zone") instanceof String z ? z : "";
        String label = q.getValue("label") instanceof String l ? l : "gray";
        JsonObject entry = new JsonObject().put("name", name).put("zone", zone)
            .put("klass", q.getString("klass", "AppVM")).put("state", q.getString("state", "UNKNOWN"))
            .put("label", label).put("color", colors.getOrDefault(label, Label.GRAY.color()));
        zones.computeIfAbsent(zone, z -> new JsonObject().put("name", z).put("state", "UNKNOWN")
            .put("qubes", new JsonArray())).getJsonArray("qubes").add(entry);
      }
      return new JsonObject().put("zones", new JsonArray(new java.util.ArrayList<>(zones.values())));
    });
  }

  private Future<Apps> apps(String qube) {
    return master.apps(qube).map(Apps::parse);
  }

  private void launch(RoutingContext ctx) {
    String qube = qube(ctx);
    Session session = SessionGuard.session(ctx);
    String id = body(ctx).getValue("app") instanceof String s ? s : null;
    if (id == null) {
      throw QairException.badRequest("send {\"app\": \"ID\"} with an id from the qube's application menu");
    }
    reply(ctx, apps(qube).compose(apps -> {
      Apps.App app = apps.find(id);
      if (app == null) {
        return Future.failedFuture(QairException.notFound("qube " + qube + " has no application '"
            + Names.printable(id) + "'"));
      }
      return launcher.launch(qube, app.argv(), (code, stderr) -> {
        if (code != 0) {
          session.notify(new Session.DesktopEvent("app-exited", new JsonObject().put("qube", qube)
              .put("app", app.name()).put("code", code).put("stderr", UntrustedText.clean(stderr, 512)).encode()));
        }
      }).map(v -> new JsonObject().put("launched", app.name()).put("qube", qube));
    }));
  }

  private void answer(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !ASK_ID.matcher(id).matches()) {
      throw QairException.badRequest("invalid ask id");
    }
    JsonObject body = body(ctx);
    if (!(body.getValue("allow") instanceof Boolean allow)) {
      throw QairException.badRequest("send {\"allow\": true|false, \"target\": \"QUBE\"}");
    }
    Object target = body.getValue("target");
    if (target != null && (!(target instanceof String t) || t.length() > 72)) {
      throw QairException.badRequest("target must be one of the offered qubes");
    }
    reply(ctx, master.answerAsk(id, allow, (String) target).map(d -> new JsonObject()
        .put("action", d.getString("action")).put("summary", d.getString("summary"))));
  }

  private static JsonArray asks(JsonArray untrusted) {
    JsonArray out = new JsonArray();
    for (Object o : untrusted) {
      if (o instanceof JsonObject a && a.getValue("id") instanceof String) {
        out.add(new JsonObject().put("id", a.getString("id")).put("service", a.getString("service"))
            .put("argument", a.getString("argument")).put("source", a.getString("source"))
            .put("target", a.getString("target")).put("targets", a.getJsonArray("targets", new JsonArray()))
            .put("defaultTarget", a.getString("defaultTarget")).put("expiresAt", a.getLong("expiresAt")));
      }
    }
    return out;
  }

  private static JsonObject state(JsonObject q) {
    return new JsonObject().put("name", q.getString("name")).put("state", q.getString("state"));
  }

  private static String qube(RoutingContext ctx) {
    return Names.requireQubeName(ctx.pathParam("qube"));
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject o = ctx.body().asJsonObject();
      return o == null ? new JsonObject() : o;
    } catch (RuntimeException e) {
      throw QairException.badRequest("the request body must be a JSON object");
    }
  }

  private static void reply(RoutingContext ctx, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result() instanceof JsonArray a) {
        ctx.json(a);
      } else {
        ctx.json(ar.result());
      }
    });
  }
}
