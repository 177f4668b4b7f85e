package io.qair.agent.display.rfb;

import java.io.IOException;

/**
 * The RFB server broke the protocol or a limit in {@link RfbLimits}: the connection is closed.
 * The message says what was wrong; it may quote server-supplied text, already stripped of
 * control characters.
 */
public final class RfbProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public RfbProtocolException(String message) {
    super(message);
  }

  public RfbProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
