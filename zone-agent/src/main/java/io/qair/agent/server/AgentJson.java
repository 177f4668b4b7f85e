package io.qair.agent.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.QairException;
import io.vertx.core.buffer.Buffer;

/** JSON for the agent API: records in, records out; a body that does not parse is BAD_REQUEST. */
final class AgentJson {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private AgentJson() {}

  static <T> T read(Buffer untrusted, Class<T> type) {
    if (untrusted == null || untrusted.length() == 0) {
      throw QairException.badRequest("request body is missing: expected " + type.getSimpleName() + " JSON");
    }
    try {
      T value = MAPPER.readValue(untrusted.getBytes(), type);
      if (value == null) {
        throw QairException.badRequest("expected " + type.getSimpleName() + " JSON, got null");
      }
      return value;
    } catch (java.io.IOException e) {
      throw QairException.badRequest("malformed " + type.getSimpleName() + " JSON");
    }
  }

  static <T> T read(String untrusted, Class<T> type) {
    return read(Buffer.buffer(untrusted == null ? "" : untrusted), type);
  }

  static Buffer write(Object value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
