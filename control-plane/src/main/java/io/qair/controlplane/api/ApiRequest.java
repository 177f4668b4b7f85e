package io.qair.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.QairException;
import io.vertx.ext.web.RoutingContext;

/**
 * A request that has passed authentication and validation against the OpenAPI description.
 * Values are still untrusted: names must go through {@link io.qair.protocol.Names}.
 */
public final class ApiRequest {
  private final RoutingContext ctx;
  private final JsonNode body;
  private final ObjectMapper json;

  ApiRequest(RoutingContext ctx, JsonNode body, ObjectMapper json) {
    this.ctx = ctx;
    this.body = body;
    this.json = json;
  }

  public RoutingContext context() {
    return ctx;
  }

  /** A path parameter (URL-decoded). */
  public String path(String name) {
    return ctx.pathParam(name);
  }

  /** A boolean query parameter, false when absent. */
  public boolean flag(String name) {
    return "true".equals(ctx.queryParams().get(name));
  }

  /** The validated JSON body as a record. */
  public <T> T body(Class<T> type) {
    if (body == null) {
      throw QairException.badRequest("invalid request: a JSON body is required");
    }
    try {
      return json.treeToValue(body, type);
    } catch (JsonProcessingException e) {
      throw QairException.badRequest("invalid request: the body does not fit " + type.getSimpleName());
    }
  }
}
