package io.qair.cloud.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import io.qair.cloud.bootstrap.WireMockStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compute Engine on loopback: REST and JSON, with instances (created, started, stopped and deleted
 * when their operation is done), firewalls, zonal and global operations (each GET moves one a step
 * towards DONE), requestId idempotency, labels and the aggregated list with a label filter, and the
 * debian-12 image family. Faults: {@code failNext("instances.insert", "QUOTA_EXCEEDED")} finishes
 * the operation with that error; a number ({@code "401"}) answers the call with that HTTP status.
 */
public final class GceStandIn extends WireMockStandIn {
  static final String BASE = "https://www.googleapis.com/compute/v1/";
  static final String IMAGE = BASE + "projects/debian-cloud/global/images/debian-12-bookworm-v20260210";
  static final Set<String> ZONES = Set.of("us-central1-a", "europe-west1-b");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH = Pattern.compile("/compute/v1/projects/([^/]+)/(.*)");
  private static final Pattern FILTER = Pattern.compile("labels\\.([a-z0-9_-]+)\\s*=\\s*\"?([^\"\\s]*)\"?");

  static final String BUCKET = "qair-agents";
  static final String TOKEN = "stand-in-token";
  private final Map<String, byte[]> objects = new LinkedHashMap<>();
  private java.security.PublicKey signer;
  private final Map<String, ObjectNode> instances = new LinkedHashMap<>();
  private final Map<String, ObjectNode> firewalls = new LinkedHashMap<>();
  private final Map<String, Op> ops = new LinkedHashMap<>();
  private final Map<String, String> requestIds = new LinkedHashMap<>();
  private boolean images = true;
  private boolean neverBoot;
  private String fixedPublicIp;
  private long next = 1000;

  private final class Op {
    final ObjectNode json;
    final Runnable onDone;
    final String fault;

    Op(ObjectNode json, Runnable onDone, String fault) {
      this.json = json;
      this.onDone = onDone;
      this.fault = fault;
    }
  }

  public GceStandIn() {
    super("gce");
  }

  /**
   * An initialised gcp adapter that talks to this stand-in without credentials, for tests outside
   * this package (the master's); {@code settings} add to or override the stand-in's endpoint.
   */
  public io.qair.cloud.spi.CloudAdapter adapter(java.nio.file.Path stateDir, Map<String, String> settings) {
    return adapter(baseUrl(), stateDir, settings);
  }

  /**
   * The same for a stand-in at {@code endpoint} that runs elsewhere (in another JVM: the master of
   * a crash test).
   */
  public static io.qair.cloud.spi.CloudAdapter adapter(String endpoint, java.nio.file.Path stateDir,
      Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(Map.of("endpoint", endpoint));
    all.putAll(settings);
    GceCloudAdapter a = new GceCloudAdapter(com.google.api.gax.core.NoCredentialsProvider::create);
    a.init(new io.qair.cloud.spi.AdapterContext(stateDir, all));
    return a;
  }

  /** No Debian image family (image not found). */
  public synchronized void removeImages() {
    images = false;
  }

  /** Instances stay STAGING (boot timeout). */
  public synchronized void neverBoot() {
    neverBoot = true;
  }

  /**
   * Every instance that reaches RUNNING gets this external address (e.g. {@code 127.0.0.1}, for a
   * test that runs the zone agents of the instances on loopback).
   */
  public synchronized void publicIp(String ip) {
    fixedPublicIp = ip;
  }

  /** Deep copies of the instances, safe to read while the stand-in serves. */
  public synchronized java.util.List<ObjectNode> instanceSnapshots() {
    return instances.values().stream().map(ObjectNode::deepCopy).toList();
  }

  /** Instances, keyed {@code project/zone/name}. */
  public synchronized Map<String, ObjectNode> instances() {
    return Map.copyOf(instances);
  }

  /** Firewalls, keyed {@code project/name}. */
  public synchronized Map<String, ObjectNode> firewalls() {
    return Map.copyOf(firewalls);
  }

  /** Objects in Cloud Storage, keyed {@code bucket/name}. */
  public synchronized Map<String, byte[]> objects() {
    return Map.copyOf(objects);
  }

  /** The key that signs URLs (the service account's public key), for checking V4 signatures. */
  public synchronized void trustSigner(java.security.PublicKey key) {
    signer = key;
  }

  /** The OAuth token endpoint, Cloud Storage uploads and deletes, and signed URL downloads. */
  private ResponseDefinition storage(Request request, URI uri) {
    String path = uri.getRawPath();
    String method = request.getMethod().getName();
    if (path.equals("/token")) {
      record(new Call("oauth.token", Map.of(), null));
      return ok(JSON.createObjectNode().put("access_token", TOKEN).put("expires_in", 3600).put("token_type", "Bearer"));
    }
    Matcher upload = Pattern.compile("/upload/storage/v1/b/([^/]+)/o").matcher(path);
    Matcher object = Pattern.compile("/storage/v1/b/([^/]+)/o/(.+)").matcher(path);
    String op = upload.matches() ? "storage.objects.insert" : object.matches() ? "storage.objects.delete"
        : "storage.signedGet";
    record(new Call(op, query(uri.getRawQuery()), null));
    String fault = takeFault(op);
    if (fault != null) {
      return httpError(Integer.parseInt(fault), "injected", "injected by the stand-in");
    }
    if (op.equals("storage.signedGet")) {
      return signedGet(request, uri);
    }
    String auth = request.getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || auth.length() < 20) {
      return httpError(401, "required", "Anonymous caller does not have storage.objects access");
    }
    String bucket = upload.matches() ? upload.group(1) : object.group(1);
    if (!bucket.equals(BUCKET)) {
      return httpError(404, "notFound", "The specified bucket does not exist.");
    }
    if (upload.matches() && method.equals("POST")) {
      String name = query(uri.getRawQuery()).get("name");
      objects.put(bucket + "/" + name, regzip(request.getBody()));
      return ok(JSON.createObjectNode().put("bucket", bucket).put("name", name));
    }
    String name = URLDecoder.decode(object.group(2), StandardCharsets.UTF_8);
    return objects.remove(bucket + "/" + name) == null ? httpError(404, "notFound", "No such object")
        : answer(204, "application/json", "");
  }

  /**
   * WireMock hands over a gzip request body decompressed (it sniffs the magic bytes); compress it
   * again as java.util.zip does (no timestamp, OS 255), which gives back what a Java test wrote.
   */
  private static byte[] regzip(byte[] body) {
    if (body.length > 1 && body[0] == 31 && body[1] == (byte) 0x8b) {
      return body;
    }
    var out = new java.io.ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Checks a V4 signed URL the way Cloud Storage does, then answers with the object. */
  private ResponseDefinition signedGet(Request request, URI uri) {
    Map<String, String> q = new TreeMap<>();
    String signature = null;
    for (String pair : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      if (pair.startsWith("X-Goog-Signature=")) {
        signature = pair.substring(eq + 1);
      } else {
        q.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    StringBuilder query = new StringBuilder();
    q.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(k).append('=').append(v));
    String canonical = "GET\n" + uri.getRawPath() + "\n" + query + "\nhost:" + request.getHeader("Host")
        + "\n\nhost\nUNSIGNED-PAYLOAD";
    String stamp = URLDecoder.decode(q.getOrDefault("X-Goog-Date", ""), StandardCharsets.UTF_8);
    String credential = URLDecoder.decode(q.getOrDefault("X-Goog-Credential", ""), StandardCharsets.UTF_8);
    String scope = credential.substring(credential.indexOf('/') + 1);
    try {
      String toSign = "GOOG4-RSA-SHA256\n" + stamp + "\n" + scope + "\n" + java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
      java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
      rsa.initVerify(signer);
      rsa.update(toSign.getBytes(StandardCharsets.UTF_8));
      if (signature == null || !rsa.verify(java.util.HexFormat.of().parseHex(signature))) {
        return httpError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
      }
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return httpError(403, "SignatureDoesNotMatch", "cannot check the signature: " + e);
    }
    String key = URLDecoder.decode(uri.getRawPath().substring(1), StandardCharsets.UTF_8);
    byte[] body = objects.get(key);
    return body == null ? httpError(404, "NoSuchKey", "The specified key does not exist.")
        : com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200).withBody(body).build();
  }

  @Override
  protected ResponseDefinition serve(Request request) {
    URI uri = URI.create(request.getUrl());
    if (!uri.getPath().startsWith("/compute/")) {
      return storage(request, uri);
    }
    Map<String, String> q = query(uri.getRawQuery());
    String method = request.getMethod().getName();
    Matcher m = PATH.matcher(uri.getPath());
    if (!m.matches()) {
      return httpError(404, "notFound", "no such path " + uri.getPath());
    }
    String project = m.group(1);
    String[] p = m.group(2).split("/");
    String op = operation(method, p);
    record(new Call(op, q, request.getBodyAsString()));
    String fault = op.endsWith("Operations.get") ? null : takeFault(op);
    if (fault != null && fault.matches("\\d{3}")) {
      return httpError(Integer.parseInt(fault), "injected", "injected by the stand-in (" + fault + ")");
    }
    if (project.equals("no-such-project")) {
      return httpError(404, "notFound", "The resource 'projects/" + project + "' was not found");
    }
    if (p[0].equals("zones") && !ZONES.contains(p[1])) {
      return httpError(404, "notFound", "The resource 'projects/" + project + "/zones/" + p[1] + "' was not found");
    }
    return switch (op) {
      case "images.getFromFamily" -> images && p[3].equals("debian-12") && project.equals("debian-cloud")
          ? ok(JSON.createObjectNode().put("name", "debian-12-bookworm-v20260210").put("selfLink", IMAGE)
              .put("family", "debian-12").put("status", "READY"))
          : httpError(404, "notFound", "The resource 'projects/" + project + "/global/images/family/" + p[3]
              + "' was not found");
      case "firewalls.get" -> found(firewalls.get(project + "/" + p[2]), "firewalls/" + p[2]);
      case "firewalls.insert" -> firewallInsert(project, request.getBodyAsString(), q.get("requestId"), fault);
      case "firewalls.delete" -> firewallDelete(project, p[2], q.get("requestId"), fault);
      case "globalOperations.get" -> operationGet(p[2]);
      case "zoneOperations.get" -> operationGet(p[3]);
      case "instances.get" -> found(instances.get(project + "/" + p[1] + "/" + p[3]), "instances/" + p[3]);
      case "instances.insert" -> instanceInsert(project, p[1], request.getBodyAsString(), q.get("requestId"), fault);
      case "instances.delete", "instances.start", "instances.stop" ->
          instanceChange(op, project, p[1], p[3], q.get("requestId"), fault);
      case "instances.aggregatedList" -> aggregated(project, q.get("filter"));
      default -> httpError(400, "badRequest", "the stand-in does not know " + method + " " + uri.getPath());
    };
  }

  private static String operation(String method, String[] p) {
    String joined = String.join("/", p);
    if (joined.startsWith("global/images/family/")) {
      return "images.getFromFamily";
    }
    if (p[0].equals("global") && p[1].equals("firewalls")) {
      return p.length == 2 ? "firewalls.insert" : method.equals("DELETE") ? "firewalls.delete" : "firewalls.get";
    }
    if (p[0].equals("global") && p[1].equals("operations")) {
      return "globalOperations.get";
    }
    if (p[0].equals("aggregated")) {
      return "instances.aggregatedList";
    }
    if (p[0].equals("zones") && p.length >= 4 && p[2].equals("operations")) {
      return "zoneOperations.get";
    }
    if (p[0].equals("zones") && p[2].equals("instances")) {
      if (p.length == 3) {
        return method.equals("POST") ? "instances.insert" : "instances.list";
      }
      if (p.length == 5) {
        return "instances." + p[4];
      }
      return method.equals("DELETE") ? "instances.delete" : "instances.get";
    }
    return method + " " + joined;
  }

  private ResponseDefinition firewallInsert(String project, String body, String requestId, String fault) {
    ObjectNode fw = parse(body);
    String key = project + "/" + fw.path("name").asText();
    return operation(project, null, "insert", requestId, BASE + "projects/" + key, fault, () -> {
      fw.put("id", Long.toString(next++)).put("selfLink", BASE + "projects/" + project + "/global/firewalls/"
          + fw.path("name").asText());
      firewalls.put(key, fw);
    }, firewalls.containsKey(key) ? "alreadyExists" : null);
  }

  private ResponseDefinition firewallDelete(String project, String name, String requestId, String fault) {
    String key = project + "/" + name;
    return operation(project, null, "delete", requestId, BASE + "projects/" + key, fault, () -> firewalls.remove(key),
        firewalls.containsKey(key) ? null : "notFound");
  }

  private ResponseDefinition instanceInsert(String project, String zone, String body, String requestId, String fault) {
    ObjectNode inst = parse(body);
    String name = inst.path("name").asText();
    String key = project + "/" + zone + "/" + name;
    return operation(project, zone, "insert", requestId, BASE + "projects/" + key, fault, () -> {
      long id = next++;
      inst.put("id", Long.toString(id)).put("zone", BASE + "projects/" + project + "/zones/" + zone)
          .put("selfLink", BASE + "projects/" + project + "/zones/" + zone + "/instances/" + name)
          .put("creationTimestamp", Instant.now().toString());
      boot(inst);
      instances.put(key, inst);
    }, instances.containsKey(key) ? "alreadyExists" : null);
  }

  private void boot(ObjectNode inst) {
    long id = inst.path("id").asLong();
    inst.put("status", neverBoot ? "STAGING" : "RUNNING").put("lastStartTimestamp", Instant.now() + "#" + next++);
    ObjectNode nic = (ObjectNode) inst.withArray("networkInterfaces").get(0);
    nic.put("networkIP", "10.128.0." + (id % 250 + 2));
    ((ObjectNode) nic.withArray("accessConfigs").get(0)).put("natIP",
        fixedPublicIp != null ? fixedPublicIp : "203.0.113." + (next++ % 250 + 2));
  }

  private ResponseDefinition instanceChange(String op, String project, String zone, String name, String requestId,
      String fault) {
    String key = project + "/" + zone + "/" + name;
    ObjectNode inst = instances.get(key);
    if (inst == null) {
      return httpError(404, "notFound", "The resource 'projects/" + key + "' was not found");
    }
    Runnable done = switch (op) {
      case "instances.delete" -> () -> instances.remove(key);
      case "instances.start" -> () -> boot(inst);
      default -> () -> {
        inst.put("status", "TERMINATED").put("lastStopTimestamp", Instant.now() + "#" + next++);
        ((ObjectNode) inst.withArray("networkInterfaces").get(0).withArray("accessConfigs").get(0)).remove("natIP");
      };
    };
    return operation(project, zone, op.substring("instances.".length()), requestId, BASE + "projects/" + key, fault,
        done, null);
  }

  /** A new operation, or the one this requestId made before. */
  private ResponseDefinition operation(String project, String zone, String type, String requestId, String target,
      String fault, Runnable onDone, String conflict) {
    if (requestId != null && requestIds.containsKey(requestId)) {
      return ok(ops.get(requestIds.get(requestId)).json);
    }
    if (conflict != null) {
      return httpError(conflict.equals("notFound") ? 404 : 409, conflict, "The resource '" + target + "' "
          + (conflict.equals("notFound") ? "was not found" : "already exists"));
    }
    String name = "operation-" + next++;
    ObjectNode json = JSON.createObjectNode().put("kind", "compute#operation").put("id", Long.toString(next++))
        .put("name", name).put("operationType", type).put("targetLink", target).put("status", "RUNNING")
        .put("selfLink", BASE + "projects/" + project + (zone == null ? "/global" : "/zones/" + zone)
            + "/operations/" + name);
    if (zone != null) {
      json.put("zone", BASE + "projects/" + project + "/zones/" + zone);
    }
    ops.put(name, new Op(json, onDone, fault));
    if (requestId != null) {
      requestIds.put(requestId, name);
    }
    return ok(json);
  }

  private ResponseDefinition operationGet(String name) {
    Op op = ops.get(name);
    if (op == null) {
      return httpError(404, "notFound", "The resource 'operations/" + name + "' was not found");
    }
    if (!op.json.path("status").asText().equals("DONE")) {
      op.json.put("status", "DONE");
      if (op.fault != null) {
        op.json.put("httpErrorStatusCode", op.fault.contains("QUOTA") ? 403 : 503);
        ArrayNode errors = op.json.putObject("error").putArray("errors");
        errors.addObject().put("code", op.fault).put("message", "injected by the stand-in: " + op.fault);
      } else {
        op.onDone.run();
      }
    }
    return ok(op.json);
  }

  private ResponseDefinition aggregated(String project, String filter) {
    Map<String, String> want = new TreeMap<>();
    if (filter != null) {
      Matcher f = FILTER.matcher(filter);
      while (f.find()) {
        want.put(f.group(1), f.group(2));
      }
    }
    ObjectNode items = JSON.createObjectNode();
    instances.forEach((key, inst) -> {
      String[] k = key.split("/");
      boolean match = k[0].equals(project) && want.entrySet().stream()
          .allMatch(w -> w.getValue().equals(inst.path("labels").path(w.getKey()).asText(null)));
      if (match) {
        JsonNode scoped = items.get("zones/" + k[1]);
        ObjectNode list = scoped == null ? items.putObject("zones/" + k[1]) : (ObjectNode) scoped;
        list.withArray("instances").add(inst);
      }
    });
    return ok(JSON.createObjectNode().put("kind", "compute#instanceAggregatedList").set("items", items));
  }

  private ResponseDefinition found(JsonNode node, String what) {
    return node == null ? httpError(404, "notFound", "The resource '" + what + "' was not found") : ok(node);
  }

  private static ObjectNode parse(String body) {
    try {
      return (ObjectNode) JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new TreeMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static ResponseDefinition ok(JsonNode node) {
    return answer(200, "application/json", node.toString());
  }

  private static ResponseDefinition httpError(int status, String reason, String message) {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode err = e.putObject("error").put("code", status).put("message", message);
    err.putArray("errors").addObject().put("message", message).put("domain", "global").put("reason", reason);
    return answer(status, "application/json", e.toString());
  }

  static List<String> zones() {
    return List.copyOf(ZONES);
  }
}
