package io.qair.agent.display;

/** Window titles come from a qube: printable text only, bounded. */
final class Titles {
  private Titles() {}

  /**
   * At most {@code max} code points of {@code untrusted}, with control and format characters
   * (including bidi overrides), unpaired surrogates and private-use characters dropped.
   */
  static String clean(String untrusted, int max) {
    if (untrusted == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(untrusted.length(), max));
    int n = 0;
    for (int i = 0; i < untrusted.length() && n < max; ) {
      int cp = untrusted.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
          || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
        continue;
      }
      b.appendCodePoint(cp);
      n++;
    }
    return b.toString().strip();
  }
}
