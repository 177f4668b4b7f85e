package io.qair.protocol.qrexec;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;

/** A peer broke the framing: unknown type, oversized frame, truncated stream. */
public class FrameException extends QairException {
  private static final long serialVersionUID = 1L;

  public FrameException(String message) {
    super(ErrorKind.BAD_REQUEST, "qrexec protocol error: " + message);
  }
}
