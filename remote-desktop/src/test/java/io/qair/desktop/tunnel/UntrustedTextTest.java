package io.qair.desktop.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {
  @Test
  void controlFormatAndSeparatorCharactersGo() {
    assertThat(UntrustedText.clean("a\u0000b\u001bc\u007fd\u202ee\u200bf\u2028g\ufeffh", 100)).isEqualTo("abcdefgh");
  }

  @Test
  void whiteSpaceRunsBecomeOneSpace() {
    assertThat(UntrustedText.clean("  vim \t\n  notes.txt \r\n", 100)).isEqualTo("vim notes.txt");
  }

  @Test
  void longTitlesAreCutOnCodePointsWithAnEllipsis() {
    String emoji = "\ud83d\ude00".repeat(200);
    String cut = UntrustedText.clean(emoji, 128);
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(128);
    assertThat(cut).endsWith("\ud83d\ude00\u2026");
    assertThat(UntrustedText.clean("x".repeat(128), 128)).isEqualTo("x".repeat(128));
  }

  @Test
  void loneSurrogatesAndPrivateUseGo() {
    assertThat(UntrustedText.clean("a\ud800b\ue000c", 10)).isEqualTo("abc");
  }

  @Test
  void nullIsEmpty() {
    assertThat(UntrustedText.clean(null, 10)).isEmpty();
  }
}
