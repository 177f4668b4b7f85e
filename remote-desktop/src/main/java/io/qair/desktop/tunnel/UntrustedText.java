package io.qair.desktop.tunnel;

/** Cleaning of text that a qube chose (window titles, error messages) before a page shows it. */
public final class UntrustedText {
  private UntrustedText() {}

  /**
   * {@code untrusted} without control, format (bidi overrides, zero-width), separator, surrogate,
   * private-use and unassigned code points, with runs of white space made one space, trimmed, and
   * cut to {@code maxCodePoints} (an ellipsis marks the cut).
   */
  public static String clean(String untrusted, int maxCodePoints) {
    if (untrusted == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(untrusted.length(), maxCodePoints * 2));
    int kept = 0;
    boolean space = false;
    boolean cut = false;
    for (int i = 0; i < untrusted.length(); ) {
      int cp = untrusted.codePointAt(i);
      i += Character.charCount(cp);
      if (!allowed(cp)) {
        continue;
      }
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = kept > 0;
        continue;
      }
      if (kept + (space ? 1 : 0) >= maxCodePoints) {
        cut = true;
        break;
      }
      if (space) {
        sb.append(' ');
        kept++;
        space = false;
      }
      sb.appendCodePoint(cp);
      kept++;
    }
    if (cut) {
      int end = sb.offsetByCodePoints(0, Math.max(0, kept - 1));
      sb.setLength(end);
      sb.append('\u2026');
    }
    return sb.toString();
  }

  private static boolean allowed(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
        return cp == '\t' || cp == '\n' || cp == '\r'; // white space: becomes one space
      default:
        return true;
    }
  }
}
