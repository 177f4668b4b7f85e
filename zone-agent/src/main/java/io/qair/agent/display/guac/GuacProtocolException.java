package io.qair.agent.display.guac;

/** Malformed or oversized Guacamole input; the connection that sent it is closed. */
public final class GuacProtocolException extends RuntimeException {
  public GuacProtocolException(String message) {
    super(message);
  }
}
