package io.qair.desktop.master;

import io.vertx.core.json.JsonObject;

/**
 * One event from the master's stream, checked: a type of lower-case letters and '-', a subject,
 * and a data map of strings.
 */
public record MasterEvent(long id, String type, String subject, JsonObject data) {
  /** The event as the page receives it (type, subject, data). */
  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("subject", subject).put("data", data);
  }

  /** Parses a {@code data:} payload, or returns null when it is not a well-formed event. */
  static MasterEvent parse(String untrustedJson) {
    try {
      JsonObject o = new JsonObject(untrustedJson);
      if (!(o.getValue("type") instanceof String type) || !type.matches("[a-z][a-z-]{0,39}")
          || !(o.getValue("id") instanceof Number id)) {
        return null;
      }
      String subject = o.getValue("subject") instanceof String s ? s : "";
      JsonObject data = new JsonObject();
      if (o.getValue("data") instanceof JsonObject d) {
        d.forEach(e -> {
          if (e.getValue() instanceof String v) {
            data.put(e.getKey(), v);
          }
        });
      }
      return new MasterEvent(id.longValue(), type, subject, data);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
