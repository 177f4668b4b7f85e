package io.qair.agent.display;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {
  @Test
  void partsNeverSplitACodePoint() {
    assertThat(Texts.parts("", 3)).containsExactly("");
    assertThat(Texts.parts("abcdefg", 3)).containsExactly("abc", "def", "g");
    assertThat(Texts.parts("a😀b😀", 2)).containsExactly("a😀", "b😀");
    assertThat(String.join("", Texts.parts("x".repeat(20_000), 8192))).hasSize(20_000);
  }

  @Test
  void utf8LimitKeepsWholeCodePoints() {
    assertThat(Texts.limitUtf8("abc", 2)).isEqualTo("ab");
    assertThat(Texts.limitUtf8("aé", 2)).isEqualTo("a");
    assertThat(Texts.limitUtf8("😀😀", 5)).isEqualTo("😀");
    assertThat(Texts.limitUtf8("short", 100)).isEqualTo("short");
  }
}
