package io.qair.agent.display.x11;

import static io.qair.agent.display.x11.X11SetupTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class X11RequestsTest {
  @Test
  void encodesRequestsOnTheWire() {
    assertThat(hex(X11Requests.internAtom("WM_STATE", false))).isEqualTo("10000400" + "0800" + "0000" + "574d5f5354415445");
    assertThat(hex(X11Requests.internAtom("UTF8_STRING", true))).isEqualTo("10010500" + "0b00" + "0000"
        + "555446385f535452494e4700");
    // x 10, y -20 (sign-extended), 640x480, border 0
    assertThat(hex(X11Requests.configureWindow(0x20000c, 0x1f, 10, -20, 640, 480, 0))).isEqualTo("0c000800" + "0c002000"
        + "1f00" + "0000" + "0a000000" + "ecffffff" + "80020000" + "e0010000" + "00000000");
    assertThat(hex(X11Requests.changeProperty(0, 0x20000c, 39, 31, 8, "abcde".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("12000800" + "0c002000" + "27000000" + "1f000000" + "08000000" + "05000000" + "6162636465000000");
    assertThat(hex(X11Requests.getProperty(0x20000c, 39, 4096))).isEqualTo("14000600" + "0c002000" + "27000000"
        + "00000000" + "00000000" + "00100000");
    assertThat(hex(X11Requests.killClient(0x20000c))).isEqualTo("71000200" + "0c002000");
    assertThat(hex(X11Requests.setInputFocus(1, 0x20000c, 0))).isEqualTo("2a010300" + "0c002000" + "00000000");
  }

  @Test
  void encodesTheEventsTheManagerSends() {
    String delete = "21200000" + "0c002000" + "6e000000" + "6f000000" + "e8030000" + "00".repeat(12);
    assertThat(hex(X11Requests.clientMessage(0x20000c, 0x6e, 0x6f, 1000))).isEqualTo(delete);
    assertThat(hex(X11Requests.sendEvent(0x20000c, 0, X11Requests.clientMessage(0x20000c, 0x6e, 0x6f, 1000))))
        .isEqualTo("19000b00" + "0c002000" + "00000000" + delete);
    assertThat(hex(X11Requests.configureNotify(0x20000c, 8, 16, 640, 480))).isEqualTo("16000000" + "0c002000"
        + "0c002000" + "00000000" + "0800" + "1000" + "8002" + "e001" + "0000" + "00" + "00" + "00000000");
  }
}
