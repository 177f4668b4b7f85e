package io.qair.protocol.pki;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.util.regex.Pattern;

/** One subjectAltName entry of a leaf certificate: a DNS name or an IP address. */
public record SubjectAltName(Type type, String value) {
  public enum Type { DNS, IP }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern DNS_NAME =
      Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  public static SubjectAltName dns(String name) {
    if (name == null || !DNS_NAME.matcher(name).matches()) {
      throw QairException.badRequest("invalid DNS name '" + Names.printable(name) + "'");
    }
    return new SubjectAltName(Type.DNS, name);
  }

  public static SubjectAltName ip(String address) {
    if (address == null || !(IPV4.matcher(address).matches() || address.contains(":"))) {
      throw QairException.badRequest("invalid IP address '" + Names.printable(address) + "'");
    }
    return new SubjectAltName(Type.IP, address);
  }

  /** An IP entry for an IP literal (v4, or v6 with or without brackets), a DNS entry otherwise. */
  public static SubjectAltName forHost(String host) {
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      return ip(host.substring(1, host.length() - 1));
    }
    if (host != null && (IPV4.matcher(host).matches() || host.contains(":"))) {
      return ip(host);
    }
    return dns(host);
  }
}
