package io.qair.desktop.tunnel;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;

/** A peer sent bytes that are not valid Guacamole instructions; the tunnel closes. */
public final class MalformedInstructionException extends QairException {
  private static final long serialVersionUID = 1L;

  public MalformedInstructionException(String message) {
    super(ErrorKind.BAD_REQUEST, message);
  }
}
