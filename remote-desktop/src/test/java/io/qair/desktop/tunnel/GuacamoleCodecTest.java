package io.qair.desktop.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.junit.jupiter.api.Test;

/** guacamole-common's parser and encoder as the tunnel uses them, on literal wire text. */
class GuacamoleCodecTest {
  @Test
  void severalInstructionsInOneMessageKeepTheirOwnArguments() {
    List<GuacamoleInstruction> i = GuacamoleCodec.parse("4.size,1.1,2.10,2.20;3.key,2.97,1.1;", 10);
    assertThat(i).hasSize(2);
    assertThat(i.get(0).getArgs()).containsExactly("1", "10", "20");
    assertThat(i.get(1).getArgs()).containsExactly("97", "1");
  }

  @Test
  void lengthsCountCodePoints() {
    assertThat(GuacamoleCodec.encode("qair-window", "\ud83d\ude00")).isEqualTo("11.qair-window,1.\ud83d\ude00;");
    assertThat(GuacamoleCodec.parse("1.x,1.\ud83d\ude00;", 1).get(0).getArgs()).containsExactly("\ud83d\ude00");
  }

  @Test
  void aMessageMustHoldWholeInstructions() {
    assertThatThrownBy(() -> GuacamoleCodec.parse("4.sync,2.12", 10)).isInstanceOf(MalformedInstructionException.class);
    assertThatThrownBy(() -> GuacamoleCodec.parse("4.sync,2.12;4.sy", 10)).isInstanceOf(MalformedInstructionException.class);
    assertThatThrownBy(() -> GuacamoleCodec.parse("4.sync,x.12;", 10)).isInstanceOf(MalformedInstructionException.class);
    assertThatThrownBy(() -> GuacamoleCodec.parse("4.sync:2.12;", 10)).isInstanceOf(MalformedInstructionException.class);
  }

  @Test
  void elementsAndCountsAreBounded() {
    String big = "9000." + "a".repeat(9000) + ";";
    assertThatThrownBy(() -> GuacamoleCodec.parse(big, 10)).isInstanceOf(MalformedInstructionException.class);
    assertThatThrownBy(() -> GuacamoleCodec.parse("1.a,".repeat(70) + "1.a;", 10))
        .isInstanceOf(MalformedInstructionException.class);
    assertThatThrownBy(() -> GuacamoleCodec.parse("3.nop;".repeat(3), 2)).isInstanceOf(MalformedInstructionException.class);
  }
}
