package io.qair.agent.display.guac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuacParserTest {
  @Test
  void encodesWithCodePointLengths() {
    assertThat(GuacInstruction.of("size", 1, 640, 480).encode()).isEqualTo("4.size,1.1,3.640,3.480;");
    assertThat(GuacInstruction.of("qair-window", 1, "normal", 0, 0, 0, "é😀").encode())
        .isEqualTo("11.qair-window,1.1,6.normal,1.0,1.0,1.0,2.é😀;");
    assertThat(GuacInstruction.of("nop").encode()).isEqualTo("3.nop;");
  }

  @Test
  void parsesInstructionsSplitAnywhere() {
    String wire = "4.sync,3.123;10.qair-mouse,1.2,2.10,2.20,1.1;3.key,5.65307,1.1;18.qair-clipboard-set,3.a😀,;";
    for (int cut = 0; cut <= wire.length(); cut++) {
      GuacParser p = new GuacParser(8, 1000);
      List<GuacInstruction> got = new ArrayList<>(p.feed(wire.substring(0, cut)));
      got.addAll(p.feed(wire.substring(cut)));
      assertThat(got).extracting(GuacInstruction::opcode).containsExactly("sync", "qair-mouse", "key", "qair-clipboard-set");
      assertThat(got.get(3).args()).containsExactly("a😀,");
      assertThat(p.idle()).isTrue();
    }
  }

  @Test
  void hostileInputIsRefusedWithAReason() {
    assertThatThrownBy(() -> new GuacParser(8, 100).feed("4.sync;x")).isInstanceOf(GuacProtocolException.class)
        .hasMessageContaining("element length has 'x'");
    assertThatThrownBy(() -> new GuacParser(8, 100).feed("4.sync:")).hasMessageContaining("not ',' or ';'");
    assertThatThrownBy(() -> new GuacParser(8, 100).feed("99999999999.")).hasMessageContaining("longer than");
    assertThatThrownBy(() -> new GuacParser(8, 100).feed("12345678901")).hasMessageContaining("10 digits");
    assertThatThrownBy(() -> new GuacParser(8, 100).feed("200.")).hasMessageContaining("longer than 100");
    assertThatThrownBy(() -> new GuacParser(2, 100).feed("1.a,1.b,1.c;")).hasMessageContaining("more than 2 elements");
    assertThatThrownBy(() -> new GuacParser(8, 100).feed("0.,1.a;")).hasMessageContaining("empty opcode");
    assertThatThrownBy(() -> new GuacParser(8, 100).feed(".")).hasMessageContaining("no length");
    GuacParser many = new GuacParser(64, 100);
    assertThatThrownBy(() -> many.feed("1.a" + ",9.123456789".repeat(11) + ";")).hasMessageContaining("longer than 100");
  }
}
