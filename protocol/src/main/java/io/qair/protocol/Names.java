package io.qair.protocol;

import java.util.regex.Pattern;

/** Naming rules for qubes, zones, tags, features and properties. */
public final class Names {
  /** Qubes OS rule: start with a letter, then letters, digits, '_', '.', '-'; at most 31 characters. */
  private static final Pattern QUBE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,30}");
  /** Zones also name cloud resources, so they are stricter: lower case, digits and '-'. */
  private static final Pattern ZONE = Pattern.compile("[a-z][a-z0-9-]{0,30}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern FEATURE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private Names() {}

  public static boolean isValidQubeName(String name) {
    return name != null && QUBE.matcher(name).matches() && !name.equals("none")
        && !name.equals("default") && !name.endsWith("-dm");
  }

  public static String requireQubeName(String untrusted) {
    if (!isValidQubeName(untrusted)) {
      throw QairException.badRequest(
          "invalid qube name '" + printable(untrusted) + "': a name starts with a letter, uses only"
              + " letters, digits, '_', '.', '-', is at most 31 characters, and is not 'none' or 'default'");
    }
    return untrusted;
  }

  public static String requireZoneName(String untrusted) {
    if (untrusted == null || !ZONE.matcher(untrusted).matches()) {
      throw QairException.badRequest(
          "invalid zone name '" + printable(untrusted) + "': a zone name starts with a lower-case"
              + " letter, uses only lower-case letters, digits and '-', and is at most 31 characters");
    }
    return untrusted;
  }

  public static String requireTag(String untrusted) {
    if (untrusted == null || !TAG.matcher(untrusted).matches()) {
      throw QairException.badRequest(
          "invalid tag '" + printable(untrusted) + "': use 1-64 letters, digits, '_' or '-'");
    }
    return untrusted;
  }

  public static String requireFeature(String untrusted) {
    if (untrusted == null || !FEATURE.matcher(untrusted).matches()) {
      throw QairException.badRequest(
          "invalid feature name '" + printable(untrusted) + "': use 1-64 letters, digits, '_', '.' or '-'");
    }
    return untrusted;
  }

  /** A bounded, printable rendering of untrusted text for error messages and logs. */
  public static String printable(String untrusted) {
    if (untrusted == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < untrusted.length() && sb.length() < 64; i++) {
      char c = untrusted.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (untrusted.length() > 64) {
      sb.append("...");
    }
    return sb.toString();
  }
}
