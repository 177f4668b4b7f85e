package io.qair.desktop.master;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's Admin API client: JSON over HTTPS to the master, trusting only the master CA,
 * with the master's bearer token. Failures are {@link QairException}s: the master's own error
 * (kind and message) or UNAVAILABLE when it cannot be reached.
 */
public final class MasterClient {
  static final long TIMEOUT_MS = 30_000;
  /** Starting a qube waits for its zone. */
  static final long LIFECYCLE_TIMEOUT_MS = 300_000;

  private final MasterConfig config;
  private final WebClient web;

  private MasterClient(MasterConfig config, WebClient web) {
    this.config = config;
    this.web = web;
  }

  public static MasterClient create(Vertx vertx, MasterConfig config) {
    WebClientOptions options = new WebClientOptions()
        .setSsl(true)
        .setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(config.caPem())))
        .setConnectTimeout(5_000)
        .setKeepAlive(true)
        .setUserAgent("qair-gateway");
    return new MasterClient(config, WebClient.create(vertx, options));
  }

  public MasterConfig config() {
    return config;
  }

  public Future<JsonArray> labels() {
    return call(HttpMethod.GET, "/api/v1/labels", null, TIMEOUT_MS).map(MasterClient::array);
  }

  public Future<JsonArray> zones() {
    return call(HttpMethod.GET, "/api/v1/zones", null, TIMEOUT_MS).map(MasterClient::array);
  }

  public Future<JsonArray> qubes() {
    return call(HttpMethod.GET, "/api/v1/qubes", null, TIMEOUT_MS).map(MasterClient::array);
  }

  public Future<JsonObject> qube(String qube) {
    return call(HttpMethod.GET, "/api/v1/qubes/" + path(qube), null, TIMEOUT_MS).map(MasterClient::object);
  }

  public Future<JsonObject> start(String qube) {
    return call(HttpMethod.POST, "/api/v1/qubes/" + path(qube) + "/start", null, LIFECYCLE_TIMEOUT_MS)
        .map(MasterClient::object);
  }

  public Future<JsonObject> shutdown(String qube) {
    return call(HttpMethod.POST, "/api/v1/qubes/" + path(qube) + "/shutdown", null, LIFECYCLE_TIMEOUT_MS)
        .map(MasterClient::object);
  }

  /** The qube's applications, or null when this master has no app list (404 on the route). */
  public Future<JsonArray> apps(String qube) {
    return call(HttpMethod.GET, "/api/v1/qubes/" + path(qube) + "/apps", null, TIMEOUT_MS)
        .map(MasterClient::array)
        .recover(e -> e instanceof QairException q && q.kind() == ErrorKind.NOT_FOUND
            && (q.getMessage().startsWith("no such API path") || q.getMessage().startsWith("HTTP "))
            ? Future.succeededFuture(null) : Future.failedFuture(e));
  }

  /** How the policy decides {@code service} from {@code source} to {@code target} (nobody is asked). */
  public Future<JsonObject> evalPolicy(String service, String source, String target) {
    JsonObject body = new JsonObject().put("service", service).put("source", source).put("target", target);
    return call(HttpMethod.POST, "/api/v1/policy/eval", body, TIMEOUT_MS).map(MasterClient::object);
  }

  public Future<JsonArray> asks() {
    return call(HttpMethod.GET, "/api/v1/policy/asks", null, TIMEOUT_MS).map(MasterClient::array);
  }

  public Future<JsonObject> answerAsk(String id, boolean allow, String target) {
    JsonObject body = new JsonObject().put("allow", allow);
    if (target != null) {
      body.put("target", target);
    }
    return call(HttpMethod.POST, "/api/v1/policy/asks/" + path(id), body, TIMEOUT_MS).map(MasterClient::object);
  }

  public void close() {
    web.close();
  }

  private Future<Buffer> call(HttpMethod method, String path, JsonObject body, long timeoutMs) {
    URI uri = config.uri(path);
    HttpRequest<Buffer> req = web.requestAbs(method, uri.toString())
        .bearerTokenAuthentication(config.token())
        .putHeader("Accept", "application/json")
        .timeout(timeoutMs);
    Future<HttpResponse<Buffer>> sent = body == null ? req.send() : req.sendJsonObject(body);
    return sent.recover(e -> Future.failedFuture(config.unreachable(e))).compose(resp -> {
      if (resp.statusCode() >= 300) {
        return Future.failedFuture(error(resp));
      }
      return Future.succeededFuture(resp.body() == null ? Buffer.buffer() : resp.body());
    });
  }

  private static QairException error(HttpResponse<Buffer> resp) {
    ErrorKind kind = ErrorKind.fromHttpStatus(resp.statusCode());
    String message = "HTTP " + resp.statusCode() + " from the master";
    try {
      JsonObject o = resp.bodyAsJsonObject();
      if (o != null && o.getValue("message") instanceof String m) {
        message = m;
        if (o.getValue("error") instanceof String k) {
          kind = ErrorKind.valueOf(k);
        }
      }
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      // keep the generic message
    }
    return new QairException(kind, message);
  }

  private static JsonArray array(Buffer b) {
    try {
      return b.length() == 0 ? new JsonArray() : new JsonArray(b);
    } catch (DecodeException | ClassCastException e) {
      throw QairException.unavailable("the master sent an answer that is not a JSON array", e);
    }
  }

  private static JsonObject object(Buffer b) {
    try {
      return b.length() == 0 ? new JsonObject() : new JsonObject(b);
    } catch (DecodeException | ClassCastException e) {
      throw QairException.unavailable("the master sent an answer that is not a JSON object", e);
    }
  }

  static String path(String untrusted) {
    if (untrusted == null || untrusted.isEmpty() || untrusted.length() > 72) {
      throw QairException.badRequest("invalid name '" + Names.printable(untrusted) + "'");
    }
    return URLEncoder.encode(untrusted, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
