package io.qair.protocol;

/** An agent address as the master keeps it, {@code HOST:PORT} or {@code [V6]:PORT}. */
public record HostPort(String host, int port) {
  /** Parses {@code address}; anything else is a BAD_REQUEST. */
  public static HostPort parse(String address) {
    if (address != null) {
      int colon = address.lastIndexOf(':');
      if (colon > 0) {
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        try {
          int port = Integer.parseInt(address.substring(colon + 1));
          if (port > 0 && port < 65536 && !host.isEmpty()) {
            return new HostPort(host, port);
          }
        } catch (NumberFormatException e) {
          // fall through
        }
      }
    }
    throw QairException.badRequest("invalid agent address '" + Names.printable(address) + "': want HOST:PORT");
  }
}
