package io.qair.agent.display.x11;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a window's untrusted name property into a title the display may show: decoded (UTF-8 with
 * replacement characters for invalid bytes, or Latin-1), stripped of control characters (C0, C1,
 * DEL, line/paragraph separators and the bidirectional overrides that could make text read
 * backwards), whitespace runs collapsed, and cut to {@link #MAX_CODE_POINTS} code points.
 */
final class WindowTitles {
  static final int MAX_CODE_POINTS = 256;
  /** How much of a name property is read (4-byte units): 16 KiB, enough for 256 code points after stripping. */
  static final int READ_LONGS = 4096;

  private WindowTitles() {}

  static String decode(byte[] raw, boolean utf8) {
    if (!utf8) {
      return sanitize(new String(raw, StandardCharsets.ISO_8859_1));
    }
    try {
      return sanitize(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(raw)).toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder cannot fail", e);
    }
  }

  static String sanitize(String untrusted) {
    StringBuilder out = new StringBuilder();
    int kept = 0;
    boolean space = false;
    for (int i = 0; i < untrusted.length() && kept < MAX_CODE_POINTS; ) {
      int c = untrusted.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = out.length() > 0;
        continue;
      }
      if (isControl(c)) {
        continue;
      }
      if (space && kept < MAX_CODE_POINTS - 1) {
        out.append(' ');
        kept++;
      }
      space = false;
      out.appendCodePoint(c);
      kept++;
    }
    return out.toString();
  }

  private static boolean isControl(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || isBidiControl(c);
  }

  private static boolean isBidiControl(int c) {
    return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }
}
