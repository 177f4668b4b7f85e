package io.qair.protocol;

/**
 * What went wrong, and how each edge reports it: HTTP status for the Admin and agent APIs,
 * the CLI exit code, and whether retrying the same request may succeed.
 */
public enum ErrorKind {
  /** The request is malformed or names something invalid (bad name, unknown label...). */
  BAD_REQUEST(400, 3, false),
  /** No credentials, or credentials that are not valid. */
  UNAUTHENTICATED(401, 6, false),
  /** Valid credentials, but policy refuses the operation. */
  PERMISSION_DENIED(403, 6, false),
  /** The named object does not exist. */
  NOT_FOUND(404, 4, false),
  /** The object exists already, or is in the wrong state for the operation. */
  CONFLICT(409, 5, false),
  /** The request body is too large. */
  TOO_LARGE(413, 3, false),
  /** A failure the user may see: a zone is unreachable, a sandbox could not start. */
  UNAVAILABLE(503, 7, true),
  /** Anything else; logged in full, answered generically. */
  INTERNAL(500, 1, false);

  private final int httpStatus;
  private final int exitCode;
  private final boolean retryable;

  ErrorKind(int httpStatus, int exitCode, boolean retryable) {
    this.httpStatus = httpStatus;
    this.exitCode = exitCode;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int exitCode() {
    return exitCode;
  }

  public boolean retryable() {
    return retryable;
  }

  /** Maps an HTTP status received from a peer back to a kind. */
  public static ErrorKind fromHttpStatus(int status) {
    for (ErrorKind k : values()) {
      if (k.httpStatus == status) {
        return k;
      }
    }
    return status >= 500 ? UNAVAILABLE : BAD_REQUEST;
  }
}
