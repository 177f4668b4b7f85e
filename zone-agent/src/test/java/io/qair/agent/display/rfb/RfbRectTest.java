package io.qair.agent.display.rfb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RfbRectTest {
  @Test
  void intersectKeepsTheCommonPart() {
    assertThat(Rect.of(0, 0, 10, 10).intersect(Rect.of(5, 6, 10, 10))).isEqualTo(Rect.of(5, 6, 5, 4));
    assertThat(Rect.of(0, 0, 10, 10).intersect(Rect.of(10, 0, 5, 5)).isEmpty()).isTrue();
    assertThat(Rect.of(Integer.MAX_VALUE - 1, 0, 10, 1).intersect(Rect.of(0, 0, Integer.MAX_VALUE, 1)))
        .as("no int overflow").isEqualTo(Rect.of(Integer.MAX_VALUE - 1, 0, 1, 1));
  }

  @Test
  void containsIsInclusiveOfTheEdges() {
    Rect r = Rect.of(2, 3, 4, 5);
    assertThat(r.contains(Rect.of(2, 3, 4, 5))).isTrue();
    assertThat(r.contains(Rect.of(3, 3, 4, 5))).isFalse();
    assertThat(r.contains(5, 7)).isTrue();
    assertThat(r.contains(6, 7)).isFalse();
    assertThat(Rect.of(0, 0, 65535, 65535).area()).isEqualTo(65535L * 65535);
    assertThatThrownBy(() -> Rect.of(0, 0, -1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framebufferCopiesOutAClippedRegion() {
    Framebuffer fb = new Framebuffer(3, 2);
    fb.put(0, 0, 3, 2, new int[] {1, 2, 3, 4, 5, 6});
    assertThat(fb.copyOf(Rect.of(1, 0, 5, 5))).containsExactly(2, 3, 5, 6);
    assertThat(fb.pixel(2, 1)).isEqualTo(6);
    assertThat(fb.stride()).isEqualTo(3);
  }
}
