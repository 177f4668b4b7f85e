package io.qair.desktop.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.QairException;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
  @Test
  void theRightPasswordMatchesAndOthersDoNot() {
    PasswordHash h = PasswordHash.create("correct horse");
    assertThat(h.matches("correct horse")).isTrue();
    assertThat(h.matches("correct horse ")).isFalse();
    assertThat(h.matches("")).isFalse();
    assertThat(h.matches(null)).isFalse();
  }

  @Test
  void theEncodingRoundTripsAndUsesASlowKdf() {
    PasswordHash h = PasswordHash.create("pw");
    String e = h.encode();
    assertThat(e).matches("pbkdf2-sha256\\$600000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(PasswordHash.parse(e + "\n")).isEqualTo(h);
    assertThat(PasswordHash.parse(e).matches("pw")).isTrue();
    assertThat(PasswordHash.create("pw").encode()).as("salted").isNotEqualTo(e);
  }

  @Test
  void aWeakOrMalformedHashIsRefused() {
    assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$"
        + "A".repeat(43))).isInstanceOf(QairException.class);
    assertThatThrownBy(() -> PasswordHash.parse("md5$x")).isInstanceOf(QairException.class);
    assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$600000$!!$!!")).isInstanceOf(QairException.class);
  }
}
