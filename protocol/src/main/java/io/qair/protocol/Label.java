package io.qair.protocol;

import java.util.Locale;

/** The Qubes label palette. Every window of a qube is framed in its label's colour. */
public enum Label {
  RED("#cc0000"),
  ORANGE("#f57900"),
  YELLOW("#edd400"),
  GREEN("#73d216"),
  GRAY("#555555"),
  BLUE("#3465a4"),
  PURPLE("#75507b"),
  BLACK("#000000");

  private final String color;

  Label(String color) {
    this.color = color;
  }

  /** The colour as {@code #rrggbb}. */
  public String color() {
    return color;
  }

  /** The lower-case name used on the wire and in the CLI. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a label name, case-insensitively; unknown names give a BAD_REQUEST that lists the palette. */
  public static Label parse(String untrustedName) {
    if (untrustedName != null) {
      for (Label l : values()) {
        if (l.wireName().equalsIgnoreCase(untrustedName)) {
          return l;
        }
      }
    }
    throw QairException.badRequest(
        "unknown label '" + Names.printable(untrustedName)
            + "': use one of red, orange, yellow, green, gray, blue, purple, black");
  }
}
