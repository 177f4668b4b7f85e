package io.qair.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks untrusted JSON against an OpenAPI 3.0 schema: the subset the Admin API description uses
 * ({@code $ref}, type, nullable, enum, required, properties, additionalProperties, items,
 * min/maxItems, min/maxLength, pattern, minimum, maximum). The first violation is a BAD_REQUEST
 * that names the field, e.g. {@code field 'memory' must be an integer}.
 */
public final class SchemaValidator {
  /** Prefix of {@code where} for a path, query or header parameter. */
  static final String PARAM = "parameter:";

  private final OpenApi spec;

  public SchemaValidator(OpenApi spec) {
    this.spec = spec;
  }

  /** Validates {@code value} (never null; JSON null is a NullNode) at {@code where} ("" for the root). */
  public void validate(JsonNode value, JsonNode rawSchema, String where) {
    JsonNode schema = spec.resolve(rawSchema);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        throw violation(where, "must not be null");
      }
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> object(value, schema, where);
      case "array" -> array(value, schema, where);
      case "string" -> string(value, schema, where);
      case "integer" -> {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
          throw violation(where, "must be an integer");
        }
        number(value, schema, where);
      }
      case "number" -> {
        if (!value.isNumber()) {
          throw violation(where, "must be a number");
        }
        number(value, schema, where);
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          throw violation(where, "must be true or false");
        }
      }
      default -> { }
    }
    JsonNode allowed = schema.path("enum");
    if (allowed.isArray()) {
      for (JsonNode a : allowed) {
        if (a.equals(value)) {
          return;
        }
      }
      List<String> names = new ArrayList<>();
      allowed.forEach(a -> names.add(a.asText()));
      throw violation(where, "must be one of " + String.join(", ", names));
    }
  }

  private void object(JsonNode value, JsonNode schema, String where) {
    if (!value.isObject()) {
      throw violation(where, "must be a JSON object");
    }
    for (JsonNode r : schema.path("required")) {
      JsonNode v = value.get(r.asText());
      if (v == null || v.isNull()) {
        throw QairException.badRequest("invalid request: field '" + child(where, r.asText()) + "' is required");
      }
    }
    JsonNode props = schema.path("properties");
    JsonNode extra = schema.get("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String at = child(where, f.getKey());
      if (props.has(f.getKey())) {
        validate(f.getValue(), props.get(f.getKey()), at);
      } else if (extra != null && extra.isBoolean() && !extra.asBoolean()) {
        throw QairException.badRequest("invalid request: unknown field '" + Names.printable(at)
            + "'" + (props.size() > 0 ? ": the fields are " + String.join(", ", fieldNames(props)) : ""));
      } else if (extra != null && extra.isObject()) {
        validate(f.getValue(), extra, at);
      }
    }
  }

  private void array(JsonNode value, JsonNode schema, String where) {
    if (!value.isArray()) {
      throw violation(where, "must be a JSON array");
    }
    if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
      throw violation(where, "needs at least " + schema.get("minItems").asInt() + " item(s)");
    }
    if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
      throw violation(where, "has more than " + schema.get("maxItems").asInt() + " items");
    }
    JsonNode items = schema.get("items");
    if (items != null) {
      for (int i = 0; i < value.size(); i++) {
        validate(value.get(i), items, where + "[" + i + "]");
      }
    }
  }

  private static void string(JsonNode value, JsonNode schema, String where) {
    if (!value.isTextual()) {
      throw violation(where, "must be a string");
    }
    String s = value.asText();
    if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) {
      throw violation(where, s.isEmpty() ? "must not be empty" : "is shorter than " + schema.get("minLength").asInt() + " characters");
    }
    if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) {
      throw violation(where, "is longer than " + schema.get("maxLength").asInt() + " characters");
    }
    if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
      throw violation(where, "does not match " + schema.get("pattern").asText());
    }
  }

  private static void number(JsonNode value, JsonNode schema, String where) {
    if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
      throw violation(where, "must be at least " + schema.get("minimum").asText());
    }
    if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
      throw violation(where, "must be at most " + schema.get("maximum").asText());
    }
  }

  private static List<String> fieldNames(JsonNode props) {
    List<String> names = new ArrayList<>();
    props.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String child(String where, String field) {
    return where.isEmpty() ? field : where + "." + field;
  }

  private static QairException violation(String where, String what) {
    String subject;
    if (where.isEmpty()) {
      subject = "the body";
    } else if (where.startsWith(PARAM)) {
      subject = "parameter '" + Names.printable(where.substring(PARAM.length())) + "'";
    } else {
      subject = "field '" + Names.printable(where) + "'";
    }
    return QairException.badRequest("invalid request: " + subject + " " + what);
  }
}
