package io.qair.protocol;

/**
 * The one unchecked exception of qair. Its {@link ErrorKind} says how every edge reports it;
 * its message is written for the user: what was wrong and what to do.
 */
public class QairException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorKind kind;

  public QairException(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public QairException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }

  public static QairException badRequest(String message) {
    return new QairException(ErrorKind.BAD_REQUEST, message);
  }

  public static QairException notFound(String message) {
    return new QairException(ErrorKind.NOT_FOUND, message);
  }

  public static QairException conflict(String message) {
    return new QairException(ErrorKind.CONFLICT, message);
  }

  public static QairException denied(String message) {
    return new QairException(ErrorKind.PERMISSION_DENIED, message);
  }

  public static QairException unavailable(String message, Throwable cause) {
    return new QairException(ErrorKind.UNAVAILABLE, message, cause);
  }
}
