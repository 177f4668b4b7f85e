package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X11EventTest {
  static X11Event decode(String hex) {
    return X11Event.decode(ByteBuffer.wrap(HexFormat.of().parseHex(hex)).order(ByteOrder.LITTLE_ENDIAN));
  }

  @Test
  void decodesTheEventsTheManagerActsOn() {
    assertThat(decode("14000700" + "19050000" + "0c002000" + "00".repeat(20)))
        .isEqualTo(new X11Event.MapRequest(false, 0x519, 0x20000c));
    // ConfigureRequest: stack mode Above, x -5, y 10, 640x480, border 2, mask x|y|width|height|border
    assertThat(decode("17000800" + "19050000" + "0c002000" + "00000000" + "fbff" + "0a00" + "8002" + "e001" + "0200"
        + "1f00" + "00000000"))
        .isEqualTo(new X11Event.ConfigureRequest(false, 0x519, 0x20000c, -5, 10, 640, 480, 2, 0x1f));
    // ConfigureNotify with the largest CARD16 sizes stays unsigned
    assertThat(decode("16000800" + "19050000" + "0c002000" + "00000000" + "0080" + "ffff" + "ffff" + "ffff" + "0100"
        + "01" + "00" + "00000000"))
        .isEqualTo(new X11Event.ConfigureNotify(false, 0x519, 0x20000c, -32768, -1, 65535, 65535, 1, true));
    assertThat(decode("1c000900" + "0c002000" + "27000000" + "e8030000" + "01" + "00".repeat(15)))
        .isEqualTo(new X11Event.PropertyNotify(false, 0x20000c, 39, 1000, true));
    assertThat(decode("11000900" + "19050000" + "0c002000" + "00".repeat(20)))
        .isEqualTo(new X11Event.DestroyNotify(false, 0x519, 0x20000c));
    assertThat(decode("12000900" + "19050000" + "0c002000" + "00".repeat(20)))
        .isEqualTo(new X11Event.UnmapNotify(false, 0x519, 0x20000c));
    assertThat(decode("13000900" + "19050000" + "0c002000" + "01" + "00".repeat(19)))
        .isEqualTo(new X11Event.MapNotify(false, 0x519, 0x20000c, true));
    assertThat(decode("21200000" + "0c002000" + "05000000" + "00".repeat(20)))
        .isEqualTo(new X11Event.ClientMessage(false, 32, 0x20000c, 5));
  }

  @Test
  void marksEventsSentByClientsAndKeepsUnknownCodes() {
    // MapRequest with the SendEvent bit: a client forged it
    assertThat(decode("94000700" + "19050000" + "0c002000" + "00".repeat(20)))
        .isEqualTo(new X11Event.MapRequest(true, 0x519, 0x20000c));
    assertThat(decode("7f" + "00".repeat(31))).isEqualTo(new X11Event.Other(false, 127));
    assertThat(decode("0c" + "00".repeat(31))).isEqualTo(new X11Event.Other(false, 12));
  }
}
