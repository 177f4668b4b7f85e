package io.qair.agent.display;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Cutting text for the wire: by code points (Guacamole elements) and by UTF-8 bytes (limits). */
final class Texts {
  private Texts() {}

  /** {@code text} in pieces of at most {@code codePoints} code points (one empty piece for ""). */
  static List<String> parts(String text, int codePoints) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = i;
      for (int n = 0; n < codePoints && end < text.length(); n++) {
        end += Character.charCount(text.codePointAt(end));
      }
      out.add(text.substring(i, end));
      i = end;
    }
    if (out.isEmpty()) {
      out.add("");
    }
    return out;
  }

  /** The longest prefix of {@code text} whose UTF-8 form fits in {@code maxBytes}, never splitting a code point. */
  static String limitUtf8(String text, int maxBytes) {
    if (text.length() * 3L <= maxBytes || text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return text;
    }
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > maxBytes) {
        break;
      }
      bytes += len;
      i += Character.charCount(cp);
    }
    return text.substring(0, i);
  }
}
