package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X11SetupTest {
  /** Success, protocol 11.0, 19 words: id base 0x200000 mask 0x1fffff, vendor "qair", one 3840x2160 screen, root 0x519. */
  static final String OK = "01000b0000001300"
      + "01000000" + "00002000" + "ffff1f00" + "00000000" + "0400" + "ffff" + "01" + "00" + "0000202008ff" + "00000000"
      + "71616972"
      + "19050000" + "20000000" + "ffffff00" + "00000000" + "00000000" + "000f" + "7008" + "0000" + "0000"
      + "0100" + "0100" + "21000000" + "00" + "00" + "18" + "00";

  static X11Setup parse(String hex) throws X11Exception {
    byte[] all = HexFormat.of().parseHex(hex);
    ByteBuffer header = ByteBuffer.wrap(all, 0, 8).slice();
    return X11Setup.parse(header, ByteBuffer.wrap(all, 8, all.length - 8).slice());
  }

  @Test
  void encodesTheOpeningWithAndWithoutACookie() {
    assertThat(hex(X11Setup.request(null))).isEqualTo("6c000b000000000000000000");
    byte[] cookie = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    assertThat(hex(X11Setup.request(cookie))).isEqualTo("6c000b000000" + "1200" + "1000" + "0000"
        + "4d49542d4d414749432d434f4f4b49452d31" + "0000" + "00112233445566778899aabbccddeeff");
  }

  @Test
  void parsesASuccessfulSetup() throws Exception {
    assertThat(X11Setup.bodyLength(ByteBuffer.wrap(HexFormat.of().parseHex(OK.substring(0, 16))))).isEqualTo(76);
    X11Setup s = parse(OK);
    assertThat(s).isEqualTo(new X11Setup(0x519, 3840, 2160, 24, 0x21, 0x200000, 0x1fffff, 0x3fffc, "qair"));
  }

  @Test
  void reportsARefusalWithTheServersReasonMadePrintable() {
    // Failed, reason of 30 bytes "Invalid MIT-MAGIC-COOKIE-1 key", padded to 8 words
    String refused = "001e0b0000000800" + hexOf("Invalid MIT-MAGIC-COOKIE-1 key") + "0000";
    assertThatThrownBy(() -> parse(refused)).isExactlyInstanceOf(X11Exception.class)
        .hasMessageContaining("refused the connection: \"Invalid MIT-MAGIC-COOKIE-1 key\"")
        .hasMessageContaining("-auth");
    // Authenticate, reason with a newline and an escape: shown as '?'
    String authenticate = "0200000000000200" + hexOf("no\n\u001b[") + "000000";
    assertThatThrownBy(() -> parse(authenticate)).hasMessageContaining("\"no??[\"");
  }

  @Test
  void rejectsHostileLengthsAndValues() {
    // a refusal whose reason claims 255 bytes of a 4-byte body
    assertThatThrownBy(() -> parse("00ff0b0000000100" + "41414141"))
        .isInstanceOf(X11ProtocolException.class).hasMessageContaining("longer than its message");
    // vendor length 0xffff: the screen would start far beyond the 76 bytes
    assertThatThrownBy(() -> parse(OK.replace("0400ffff0100", "ffffffff0100")))
        .isInstanceOf(X11ProtocolException.class).hasMessageContaining("the first screen needs 65608 bytes, the setup has 76");
    // 255 pixmap formats, none present
    assertThatThrownBy(() -> parse(OK.replace("0400ffff0100", "0400ffff01ff")))
        .isInstanceOf(X11ProtocolException.class).hasMessageContaining("the first screen needs");
    // no screen at all
    assertThatThrownBy(() -> parse(OK.replace("0400ffff0100", "0400ffff0000")))
        .isInstanceOf(X11ProtocolException.class).hasMessageContaining("no screen");
    // a body shorter than the fixed part
    assertThatThrownBy(() -> parse("01000b0000000100" + "00000000"))
        .isInstanceOf(X11ProtocolException.class).hasMessageContaining("fixed part needs 32 bytes");
    // protocol 12, unknown status, a resource id mask of one bit, a zero-sized screen
    assertThatThrownBy(() -> parse(OK.replace("01000b00", "01000c00"))).hasMessageContaining("protocol 12");
    assertThatThrownBy(() -> parse("07" + OK.substring(2))).hasMessageContaining("unknown connection setup status 7");
    assertThatThrownBy(() -> parse(OK.replace("ffff1f00", "01000000"))).hasMessageContaining("resource id");
    assertThatThrownBy(() -> parse(OK.replace("000f7008", "00007008"))).hasMessageContaining("0x519 of 0x2160");
    assertThatThrownBy(() -> parse(OK.replace("0400ffff", "04000001"))).hasMessageContaining("maximum request length");
  }

  static String hexOf(String ascii) {
    return HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  static String hex(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return HexFormat.of().formatHex(out);
  }
}
