package io.qair.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/** Checks a request's parameters and body against its OpenAPI operation. */
final class RequestValidation {
  private final OpenApi.Operation op;
  private final SchemaValidator validator;
  private final ObjectMapper json;
  private final Set<String> queryNames = new HashSet<>();

  RequestValidation(OpenApi.Operation op, SchemaValidator validator, ObjectMapper json) {
    this.op = op;
    this.validator = validator;
    this.json = json;
    op.params().stream().filter(p -> p.in().equals("query")).forEach(p -> queryNames.add(p.name()));
  }

  /** The validated request; throws BAD_REQUEST naming the first thing that is wrong. */
  ApiRequest validate(RoutingContext ctx) {
    for (String q : ctx.queryParams().names()) {
      if (!queryNames.contains(q)) {
        throw QairException.badRequest("invalid request: unknown query parameter '" + Names.printable(q) + "'"
            + (queryNames.isEmpty() ? "" : ": use " + String.join(", ", queryNames)));
      }
    }
    for (OpenApi.Param p : op.params()) {
      String raw = switch (p.in()) {
        case "path" -> ctx.pathParam(p.name());
        case "query" -> ctx.queryParams().get(p.name());
        case "header" -> ctx.request().getHeader(p.name());
        default -> null;
      };
      if (raw == null) {
        if (p.required()) {
          throw QairException.badRequest("invalid request: parameter '" + p.name() + "' is required");
        }
        continue;
      }
      validator.validate(coerce(raw, p), p.schema(), SchemaValidator.PARAM + p.name());
    }
    JsonNode body = null;
    if (op.bodySchema() != null) {
      Buffer raw = ctx.body().buffer();
      if (raw == null || raw.length() == 0) {
        if (op.bodyRequired()) {
          throw QairException.badRequest("invalid request: a JSON body is required");
        }
      } else {
        try {
          body = json.readTree(raw.getBytes());
        } catch (JsonProcessingException e) {
          throw QairException.badRequest("invalid request: the body is not valid JSON (line "
              + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
          throw QairException.badRequest("invalid request: the body is not valid JSON");
        }
        validator.validate(body, op.bodySchema(), "");
      }
    }
    return new ApiRequest(ctx, body, json);
  }

  private static JsonNode coerce(String raw, OpenApi.Param p) {
    String type = p.schema().path("type").asText("string");
    switch (type) {
      case "boolean":
        if (raw.equals("true") || raw.equals("false")) {
          return BooleanNode.valueOf(Boolean.parseBoolean(raw));
        }
        throw QairException.badRequest("invalid request: parameter '" + p.name() + "' must be true or false");
      case "integer":
        try {
          return LongNode.valueOf(Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
          throw QairException.badRequest("invalid request: parameter '" + p.name() + "' must be an integer");
        }
      default:
        return TextNode.valueOf(raw);
    }
  }
}
