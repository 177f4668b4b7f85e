package io.qair.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operations of {@code docs/admin-api/openapi.yaml}: what the server routes and validates.
 * The file is packaged next to this class; without it the server does not start.
 */
public final class OpenApi {
  /** The classpath resource the server loads by default. */
  public static final String RESOURCE = "io/qair/controlplane/api/openapi.yaml";

  /** One parameter: {@code in} is path, query or header. */
  public record Param(String name, String in, boolean required, JsonNode schema) {}

  /** One operation; {@code bodySchema} is null when it takes no body. */
  public record Operation(String id, String method, String path, List<Param> params, JsonNode bodySchema,
      boolean bodyRequired) {}

  private final JsonNode root;
  private final List<Operation> operations;

  private OpenApi(JsonNode root) {
    this.root = root;
    this.operations = List.copyOf(parse(root));
  }

  /** Loads the spec from the classpath; fails (IllegalStateException) if it is missing or broken. */
  public static OpenApi load(String resource) {
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the Admin API description " + resource
            + " is missing from the classpath: the server validates every request against it, so it will not start without it");
      }
      return new OpenApi(new ObjectMapper(new YAMLFactory()).readTree(in));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the Admin API description " + resource + ": " + e.getMessage(), e);
    }
  }

  public List<Operation> operations() {
    return operations;
  }

  /** A schema of {@code components/schemas}, for bodies that arrive outside HTTP (WebSocket). */
  public JsonNode schema(String name) {
    JsonNode s = root.path("components").path("schemas").path(name);
    if (s.isMissingNode()) {
      throw new IllegalStateException("no schema " + name + " in the Admin API description");
    }
    return s;
  }

  /** Follows a local {@code $ref} ("#/components/..."); other nodes are returned as they are. */
  public JsonNode resolve(JsonNode node) {
    int hops = 0;
    while (node != null && node.has("$ref")) {
      String ref = node.get("$ref").asText();
      if (!ref.startsWith("#/") || ++hops > 16) {
        throw new IllegalStateException("unsupported $ref " + ref);
      }
      node = root.at(ref.substring(1));
      if (node.isMissingNode()) {
        throw new IllegalStateException("dangling $ref " + ref);
      }
    }
    return node;
  }

  private List<Operation> parse(JsonNode root) {
    List<Operation> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      JsonNode common = p.getValue().path("parameters");
      Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> m = methods.next();
        if (m.getKey().equals("parameters")) {
          continue;
        }
        JsonNode op = m.getValue();
        String id = op.path("operationId").asText(null);
        if (id == null) {
          throw new IllegalStateException("operation " + m.getKey() + " " + p.getKey() + " has no operationId");
        }
        List<Param> params = new ArrayList<>();
        for (JsonNode list : List.of(common, op.path("parameters"))) {
          for (JsonNode raw : list) {
            JsonNode prm = resolve(raw);
            params.add(new Param(prm.path("name").asText(), prm.path("in").asText(), prm.path("required").asBoolean(false),
                prm.path("schema")));
          }
        }
        JsonNode body = resolve(op.path("requestBody"));
        JsonNode bodySchema = body.isMissingNode() ? null : body.path("content").path("application/json").path("schema");
        out.add(new Operation(id, m.getKey().toUpperCase(Locale.ROOT), p.getKey(), params, bodySchema,
            body.path("required").asBoolean(false)));
      }
    }
    return out;
  }
}
