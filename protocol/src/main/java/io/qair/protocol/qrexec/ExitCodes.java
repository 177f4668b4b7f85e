package io.qair.protocol.qrexec;

/** Exit codes with a meaning, as in Qubes qrexec. */
public final class ExitCodes {
  /** The call was refused by policy, or the target could not be reached. */
  public static final int REFUSED = 126;
  /** No such service (or command) in the target. */
  public static final int NO_SUCH_SERVICE = 127;

  private ExitCodes() {}
}
