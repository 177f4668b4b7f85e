package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.agent.display.x11.X11Replies.Property;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X11RepliesTest {
  static ByteBuffer reply(String hex) {
    return ByteBuffer.wrap(HexFormat.of().parseHex(hex)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A GetProperty reply header: format, type, bytes-after, value length in format units. */
  static String property(int format, int type, int after, int units, int words) {
    ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 1).put((byte) format).putShort((short) 2).putInt(words).putInt(type).putInt(after).putInt(units);
    return HexFormat.of().formatHex(b.array());
  }

  @Test
  void readsPropertiesOfEachFormat() throws Exception {
    Property name = X11Replies.property(reply(property(8, 31, 0, 5, 2) + "6869212121000000"), 16);
    assertThat(new String(name.data(), "ISO-8859-1")).isEqualTo("hi!!!");
    assertThat(name.truncated()).isFalse();
    Property atoms = X11Replies.property(reply(property(32, 4, 8, 2, 2) + "0100000002000000"), 2);
    assertThat(atoms.ints()).containsExactly(1, 2);
    assertThat(atoms.truncated()).isTrue();
    assertThat(X11Replies.property(reply(property(0, 0, 0, 0, 0)), 1)).isSameAs(Property.ABSENT);
    // a format-8 property read as ints is none
    assertThat(name.ints()).isEmpty();
  }

  @Test
  void rejectsPropertiesWithHostileLengthsAndFormats() {
    // claims 1000 bytes, carries 8
    assertThatThrownBy(() -> X11Replies.property(reply(property(8, 31, 0, 1000, 2) + "00".repeat(8)), 1024))
        .isInstanceOf(X11ProtocolException.class).hasMessageContaining("needs 1032 bytes, the reply has 40");
    // 0xffffffff 32-bit units: no overflow, refused as more than asked for
    assertThatThrownBy(() -> X11Replies.property(reply(property(32, 4, 0, -1, 0)), 9))
        .isInstanceOf(X11ProtocolException.class).hasMessageContaining("17179869180 bytes where at most 36");
    // more than the long-length asked for, even if the bytes are there
    assertThatThrownBy(() -> X11Replies.property(reply(property(8, 31, 0, 8, 2) + "00".repeat(8)), 1))
        .hasMessageContaining("at most 4 were asked for");
    assertThatThrownBy(() -> X11Replies.property(reply(property(7, 31, 0, 0, 0)), 1))
        .hasMessageContaining("format 7");
    assertThatThrownBy(() -> X11Replies.property(reply(property(8, 0, 0, 3, 1) + "00".repeat(4)), 1))
        .hasMessageContaining("no type but format 8");
  }

  @Test
  void readsTreesAttributesAndGeometry() throws Exception {
    String tree = "01000100" + "02000000" + "19050000" + "00000000" + "0200" + "00".repeat(14) + "0c002000" + "0d002000";
    assertThat(X11Replies.children(reply(tree))).containsExactly(0x20000c, 0x20000d);
    String lying = "01000100" + "01000000" + "19050000" + "00000000" + "ffff" + "00".repeat(14) + "0c002000";
    assertThatThrownBy(() -> X11Replies.children(reply(lying)))
        .isInstanceOf(X11ProtocolException.class).hasMessageContaining("65535 children needs 262172 bytes");
    String attributes = "01000300" + "03000000" + "21000000" + "0100" + "0101" + "00".repeat(8) + "00" + "00" + "02" + "01"
        + "00".repeat(16);
    assertThat(X11Replies.windowAttributes(reply(attributes))).isEqualTo(new X11Replies.WindowAttributes(1, 2, true));
    assertThatThrownBy(() -> X11Replies.windowAttributes(reply(attributes.substring(0, 64))))
        .hasMessageContaining("GetWindowAttributes needs 44 bytes");
    String geometry = "01180400" + "00000000" + "19050000" + "f6ff" + "1400" + "2003" + "5802" + "0100" + "00".repeat(10);
    assertThat(X11Replies.geometry(reply(geometry))).isEqualTo(new X11Replies.Geometry(-10, 20, 800, 600, 1));
    assertThatThrownBy(() -> X11Replies.internAtom(reply("01000100" + "00".repeat(28)))).hasMessageContaining("None");
  }
}
