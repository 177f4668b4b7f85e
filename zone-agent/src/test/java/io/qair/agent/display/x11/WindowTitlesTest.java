package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WindowTitlesTest {
  @Test
  void cutsAHugeTitleTo256CodePoints() {
    String title = WindowTitles.decode("x".repeat(10_000).getBytes(StandardCharsets.UTF_8), true);
    assertThat(title).isEqualTo("x".repeat(256));
    // astral characters count once each, and are never split into a lone surrogate
    String emoji = WindowTitles.sanitize("\uD83D\uDE00".repeat(10_000));
    assertThat(emoji.codePointCount(0, emoji.length())).isEqualTo(256);
    assertThat(emoji).isEqualTo("\uD83D\uDE00".repeat(256));
  }

  @Test
  void removesControlCharactersAndBidiOverrides() {
    assertThat(WindowTitles.sanitize("\u001b]0;evil\u0007 title\u0000\u007f\u0085\u009b"))
        .isEqualTo("]0;evil title");
    // a right-to-left override would make "txt.exe" read "exe.txt"
    assertThat(WindowTitles.sanitize("invoice\u202Etxt.exe\u2066\u200f")).isEqualTo("invoicetxt.exe");
    // line breaks, tabs and whitespace runs become one space; none at the ends
    assertThat(WindowTitles.sanitize("\t first\r\n\u2028second \u00a0 ")).isEqualTo("first second");
    assertThat(WindowTitles.sanitize("\u0001\u0002\u0003")).isEmpty();
    // 10,000 characters of which every other is a control character: 256 visible ones remain
    assertThat(WindowTitles.sanitize("a\u0007".repeat(10_000))).isEqualTo("a".repeat(256));
  }

  @Test
  void decodesInvalidUtf8WithReplacementCharactersAndLatin1AsIs() {
    // a lone continuation byte, an overlong '/', a truncated 3-byte sequence, an encoded surrogate
    byte[] bad = HexFormat.of().parseHex("41" + "80" + "42" + "c0af" + "43" + "e282" + "44" + "eda080" + "45");
    String title = WindowTitles.decode(bad, true);
    assertThat(title).startsWith("A\uFFFDB").contains("C").contains("D").endsWith("E");
    assertThat(title.chars().filter(c -> Character.isSurrogate((char) c))).isEmpty();
    assertThat(title.replace("\uFFFD", "")).isEqualTo("ABCDE");
    assertThat(WindowTitles.decode(HexFormat.of().parseHex("63616688e9"), false)).isEqualTo("caf\u00e9");
  }
}
