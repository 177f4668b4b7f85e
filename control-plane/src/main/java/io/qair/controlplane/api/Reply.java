package io.qair.controlplane.api;

/** What an operation answers: an HTTP status and a body to send as JSON (null for none). */
public record Reply(int status, Object body) {
  /** The operation wrote the response itself (an event stream, a WebSocket). */
  public static final Reply HANDLED = new Reply(0, null);

  public static Reply ok(Object body) {
    return new Reply(200, body);
  }

  public static Reply created(Object body) {
    return new Reply(201, body);
  }

  public static Reply noContent() {
    return new Reply(204, null);
  }
}
