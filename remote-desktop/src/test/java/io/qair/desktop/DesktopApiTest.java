package io.qair.desktop;

import static io.qair.desktop.fake.GatewayHarness.await;
import static io.qair.desktop.fake.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page's JSON API and event stream on top of the (fake) master. */
class DesktopApiTest extends GatewayTestBase {

  @Test
  void qubesAreGroupedByZoneWithTheirLabelColour() throws Exception {
    h.master.addZone("aws-1", "203.0.113.5:7444");
    h.master.addQube("cloudy", "aws-1", "purple", "HALTED");
    JsonObject d = h.get(login, "/api/desktop").bodyAsJsonObject();
    JsonArray zones = d.getJsonArray("zones");
    assertThat(zones.stream().map(z -> ((JsonObject) z).getString("name")).toList()).containsExactly("local", "aws-1");
    JsonObject local = zones.getJsonObject(0);
    assertThat(local.getJsonArray("qubes").stream().map(q -> ((JsonObject) q).getString("name")).toList())
        .containsExactlyInAnyOrder("work", "untrusted", "vault");
    JsonObject work = local.getJsonArray("qubes").stream().map(JsonObject.class::cast)
        .filter(q -> q.getString("name").equals("work")).findFirst().orElseThrow();
    assertThat(work.getString("color")).isEqualTo("#3465a4");
    assertThat(work.getString("state")).isEqualTo("RUNNING");
    assertThat(work.getString("zone")).isEqualTo("local");
    JsonObject cloudy = zones.getJsonObject(1).getJsonArray("qubes").getJsonObject(0);
    assertThat(cloudy.getString("color")).isEqualTo("#75507b");
    h.master.qubes.remove("cloudy");
    h.master.zones.removeIf(z -> z.getString("name").equals("aws-1"));
  }

  @Test
  void withoutAnAppListTheMenuFallsBackToXterm() throws Exception {
    JsonObject apps = h.get(login, "/api/qubes/work/apps").bodyAsJsonObject();
    assertThat(apps.getBoolean("fallback")).isTrue();
    assertThat(apps.getJsonArray("apps").getJsonObject(0).getString("id")).isEqualTo("xterm");
  }

  @Test
  void launchingAnAppRunsItsCommandThroughTheMastersExec() throws Exception {
    h.master.apps.put("untrusted", new JsonArray().add(new JsonObject().put("id", "firefox-esr.desktop")
        .put("name", "Firefox").put("exec", "firefox-esr %u")));
    JsonObject apps = h.get(login, "/api/qubes/untrusted/apps").bodyAsJsonObject();
    assertThat(apps.getBoolean("fallback")).isFalse();
    assertThat(apps.getJsonArray("apps").getJsonObject(0)).isEqualTo(new JsonObject().put("id", "firefox-esr.desktop")
        .put("name", "Firefox"));
    HttpResponse<Buffer> r = h.post(login, "/api/qubes/untrusted/launch", new JsonObject().put("app", "firefox-esr.desktop"));
    assertThat(r.statusCode()).isEqualTo(200);
    eventually(() -> h.master.execs.contains(List.of("firefox-esr")), "the exec call");
    assertThat(h.post(login, "/api/qubes/untrusted/launch", new JsonObject().put("app", "sh -c evil")).statusCode())
        .isEqualTo(404);
    assertThat(h.post(login, "/api/qubes/untrusted/launch", new JsonObject().put("argv", new JsonArray().add("sh")))
        .statusCode()).isEqualTo(400);
    h.master.apps.remove("untrusted");
  }

  @Test
  void asksAreListedAndAnswered() throws Exception {
    h.master.asks.add(new JsonObject().put("id", "a1").put("service", "qubes.Filecopy").put("source", "work")
        .put("target", "@default").put("targets", new JsonArray().add("untrusted").add("vault"))
        .put("defaultTarget", "vault").put("createdAt", 1).put("expiresAt", 2));
    JsonArray asks = await(h.request(HttpMethod.GET, "/api/asks").putHeader("Cookie", login.cookie()).send())
        .bodyAsJsonArray();
    assertThat(asks.getJsonObject(0).getString("defaultTarget")).isEqualTo("vault");
    HttpResponse<Buffer> r = h.post(login, "/api/asks/a1", new JsonObject().put("allow", true).put("target", "untrusted"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(h.master.answers).containsExactly(new JsonObject().put("allow", true).put("target", "untrusted").put("id", "a1"));
    assertThat(h.post(login, "/api/asks/a1", new JsonObject().put("allow", "yes")).statusCode()).isEqualTo(400);
    assertThat(h.post(login, "/api/asks/..%2f..%2fqubes", new JsonObject().put("allow", true)).statusCode()).isEqualTo(400);
  }

  @Test
  void eventsFromOneUpstreamReachEveryPage() throws Exception {
    HttpClient http = h.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    StringBuffer a = new StringBuffer();
    StringBuffer b = new StringBuffer();
    for (StringBuffer sink : List.of(a, b)) {
      HttpClientResponse resp = await(http.request(new RequestOptions().setHost("127.0.0.1").setPort(h.gateway.port())
          .setURI("/api/events").addHeader("Cookie", login.cookie()))
          .compose(req -> req.send()));
      assertThat(resp.statusCode()).isEqualTo(200);
      assertThat(resp.getHeader("Content-Type")).startsWith("text/event-stream");
      resp.handler(buf -> sink.append(buf.toString()));
    }
    eventually(() -> h.master.eventStreams() == 1, "the gateway's upstream stream");
    h.master.emit("qube-state", "work", new JsonObject().put("state", "HALTED"));
    h.master.emit("template-secret", "x", new JsonObject()); // not something the desktop shows
    eventually(() -> a.toString().contains("qube-state") && b.toString().contains("qube-state"), "both pages");
    assertThat(a.toString()).contains("event: qube-state\ndata: {\"type\":\"qube-state\",\"subject\":\"work\"")
        .doesNotContain("template-secret");
    assertThat(h.master.eventStreams()).isEqualTo(1);

    // an application that fails is told to the session's pages
    h.post(login, "/api/qubes/work/launch", new JsonObject().put("app", "xterm"));
    eventually(() -> !h.master.execSockets.isEmpty(), "the exec call");
    h.master.exitAll(127, "xterm: not found\u001b[31m");
    eventually(() -> a.toString().contains("app-exited"), "the failure notice");
    assertThat(a.toString()).contains("\"code\":127").contains("xterm: not found").doesNotContain("\u001b");
    http.close();
  }
}
