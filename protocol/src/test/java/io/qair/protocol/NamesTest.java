package io.qair.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"work", "a", "Work-2.b_c", "abcdefghijklmnopqrstuvwxyz01234"})
  void acceptsQubesNames(String name) {
    assertThat(Names.requireQubeName(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1work", "-x", "wo rk", "wo/rk", "../etc", "abcdefghijklmnopqrstuvwxyz012345",
      "none", "default", "sys-dm", "wörk", "a\nb"})
  void refusesBadNames(String name) {
    assertThatThrownBy(() -> Names.requireQubeName(name))
        .isInstanceOf(QairException.class)
        .hasMessageContaining("invalid qube name")
        .hasMessageContaining("starts with a letter")
        .satisfies(e -> assertThat(((QairException) e).kind()).isEqualTo(ErrorKind.BAD_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Local", "eu_1", "1eu", ""})
  void refusesBadZoneNames(String name) {
    assertThatThrownBy(() -> Names.requireZoneName(name)).hasMessageContaining("invalid zone name");
  }

  @org.junit.jupiter.api.Test
  void printableNeutralisesControlCharactersAndBoundsLength() {
    assertThat(Names.printable("a\u001b[31mb")).isEqualTo("a?[31mb");
    assertThat(Names.printable("x".repeat(1000))).hasSize(67);
  }

  @org.junit.jupiter.api.Test
  void labelsAreTheQubesPalette() {
    assertThat(Label.parse("BLUE").color()).isEqualTo("#3465a4");
    assertThat(Label.parse("red").color()).isEqualTo("#cc0000");
    assertThat(Label.values()).hasSize(8);
    assertThatThrownBy(() -> Label.parse("pink")).hasMessageContaining("use one of red, orange");
  }
}
