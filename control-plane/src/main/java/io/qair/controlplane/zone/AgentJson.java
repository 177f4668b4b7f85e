package io.qair.controlplane.zone;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.api.ErrorBody;
import io.vertx.core.buffer.Buffer;

/** JSON to and from agents. What an agent sends is untrusted: a body that does not parse is a failure. */
final class AgentJson {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private AgentJson() {}

  static Buffer write(Object value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T read(String zone, Buffer untrusted, Class<T> type) {
    return read(zone, untrusted, MAPPER.getTypeFactory().constructType(type), type.getSimpleName());
  }

  static <T> T read(String zone, Buffer untrusted, com.fasterxml.jackson.core.type.TypeReference<T> type) {
    return read(zone, untrusted, MAPPER.getTypeFactory().constructType(type), "JSON");
  }

  private static <T> T read(String zone, Buffer untrusted, com.fasterxml.jackson.databind.JavaType type, String what) {
    try {
      T v = MAPPER.readValue(untrusted.getBytes(), type);
      if (v == null) {
        throw new java.io.IOException("null");
      }
      return v;
    } catch (java.io.IOException e) {
      throw QairException.unavailable("zone " + zone + " answered with malformed " + what, e);
    }
  }

  /** Untrusted text for a user-facing message: at most 500 characters, no control characters. */
  static String clean(String untrusted) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < untrusted.length() && sb.length() < 500; i++) {
      char c = untrusted.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return sb.toString();
  }

  /** The agent's error answer as the exception the master reports; the agent's message is kept. */
  static QairException error(String zone, int status, Buffer untrustedBody) {
    ErrorKind kind = ErrorKind.fromHttpStatus(status);
    String message = "zone " + zone + " answered " + status;
    try {
      ErrorBody b = MAPPER.readValue(untrustedBody.getBytes(), ErrorBody.class);
      if (b != null && b.error() != null) {
        try {
          kind = ErrorKind.valueOf(b.error());
        } catch (IllegalArgumentException e) {
          // keep the kind from the status
        }
      }
      if (b != null && b.message() != null) {
        message = clean(b.message());
      }
    } catch (java.io.IOException e) {
      // not an ErrorBody: keep the generic message
    }
    if (kind == ErrorKind.INTERNAL || kind == ErrorKind.UNAUTHENTICATED) {
      // the agent's internals are not the user's request: report the zone as unavailable
      return QairException.unavailable("zone " + zone + ": " + message, null);
    }
    return new QairException(kind, message);
  }
}
