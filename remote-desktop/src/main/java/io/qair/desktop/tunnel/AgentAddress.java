package io.qair.desktop.tunnel;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;

/** A zone agent's address as the master shows it: {@code HOST:PORT} or {@code [V6]:PORT}. */
record AgentAddress(String host, int port) {
  static AgentAddress parse(String zone, String address) {
    if (address != null) {
      int colon = address.lastIndexOf(':');
      if (colon > 0) {
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        Integer port = Args.integer(address.substring(colon + 1), 1, 65535);
        if (port != null && !host.isEmpty()) {
          return new AgentAddress(host, port);
        }
      }
    }
    throw QairException.unavailable("zone " + zone + " has no usable agent address ('"
        + Names.printable(address) + "'): wait until the zone is READY", null);
  }
}
