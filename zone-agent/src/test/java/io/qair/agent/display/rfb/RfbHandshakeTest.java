package io.qair.agent.display.rfb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RfbHandshakeTest {
  @Test
  void handshakeSpeaks38WithSecurityNoneAndAsksForTrueColourAndOurEncodings() throws Exception {
    RfbFixture f = RfbFixture.open(ScriptedChannel.open(RfbBytes.handshake(1024, 768, "work:0").toBytes()));

    assertThat(f.client().name()).isEqualTo("work:0");
    assertThat(f.client().width()).isEqualTo(1024);
    assertThat(f.client().height()).isEqualTo(768);
    assertThat(f.client().framebuffer().pixels()).hasSize(1024 * 768);
    byte[] written = f.channel().awaitWritten(RfbBytes.CLIENT_HANDSHAKE_BYTES + RfbBytes.CLIENT_SETUP_BYTES);
    byte[] expected = RfbBytes.create()
        .ascii("RFB 003.008\n").u8(1).u8(1)
        // SetPixelFormat: 32 bpp, depth 24, little-endian, true colour, 255/255/255 at 16/8/0
        .u8(0).u8(0).u8(0).u8(0).u8(32).u8(24).u8(0).u8(1).u16(255).u16(255).u16(255).u8(16).u8(8).u8(0)
        .u8(0).u8(0).u8(0)
        // SetEncodings: CopyRect, ZRLE, Raw, DesktopSize, Cursor, ExtendedClipboard
        .u8(2).u8(0).u16(6).s32(1).s32(16).s32(0).s32(-223).s32(-239).s32(0xC0A1E5CE)
        .toBytes();
    assertThat(written).isEqualTo(expected);
    f.client().close();
    assertThat(f.listener().awaitClosed()).isEmpty();
  }

  @Test
  void newerServerVersionsAreAnsweredWith38() throws Exception {
    byte[] script = RfbBytes.handshake(8, 8, "x").toBytes();
    System.arraycopy("RFB 004.001\n".getBytes(StandardCharsets.US_ASCII), 0, script, 0, 12);
    RfbFixture f = RfbFixture.open(ScriptedChannel.open(script));
    assertThat(Arrays.copyOf(f.channel().awaitWritten(12), 12)).isEqualTo("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
    f.client().close();
  }

  @Test
  void olderVersionIsRefused() {
    assertHandshakeFails(RfbBytes.create().ascii("RFB 003.003\n"), "the server speaks RFB 3.3; qair needs RFB 3.8");
  }

  @Test
  void aServerThatIsNotRfbIsRefused() {
    assertHandshakeFails(RfbBytes.create().ascii("HTTP/1.1 200\r\n"), "not an RFB server: it greeted with \"HTTP/1.1 200\"");
  }

  @Test
  void theServersFailureReasonIsReported() {
    assertHandshakeFails(RfbBytes.create().ascii("RFB 003.008\n").u8(0).u32(20).ascii("Too many connections"),
        "the server refused the connection: Too many connections");
  }

  @Test
  void controlCharactersInTheReasonAreRemoved() {
    assertHandshakeFails(RfbBytes.create().ascii("RFB 003.008\n").u8(0).u32(11).ascii("\u001b[2Jevil\r\nx"),
        "the server refused the connection: [2Jevilx");
  }

  @Test
  void aHugeReasonIsRefusedBeforeItIsRead() {
    assertHandshakeFails(RfbBytes.create().ascii("RFB 003.008\n").u8(0).u32(0xFFFF_FFFFL),
        "failure reason is 4294967295 bytes long, more than 4096");
  }

  @Test
  void securityTypesOtherThanNoneAreRefused() {
    assertHandshakeFails(RfbBytes.create().ascii("RFB 003.008\n").u8(2).u8(2).u8(19),
        "the server offers security types [2, 19] but qair supports only None (1)", "-SecurityTypes None");
  }

  @Test
  void aFailedSecurityResultIsReportedWithItsReason() {
    assertHandshakeFails(RfbBytes.create().ascii("RFB 003.008\n").u8(1).u8(1).u32(1).u32(14).ascii("Access denied!"),
        "the server rejected security type None: Access denied!");
  }

  @Test
  void anUnknownSecurityResultIsRefused() {
    assertHandshakeFails(RfbBytes.create().ascii("RFB 003.008\n").u8(1).u8(1).u32(7), "unknown SecurityResult 7");
  }

  @Test
  void aHugeDesktopIsRefused() {
    byte[] script = RfbBytes.handshake(1, 1, "x").toBytes();
    ByteBuffer.wrap(script).putShort(18, (short) 65535).putShort(20, (short) 65535);
    assertHandshakeFails(RfbBytes.create().bytes(script), "the server's desktop 65535x65535 is outside the limits");
  }

  @Test
  void anEmptyDesktopIsRefused() {
    assertHandshakeFails(RfbBytes.handshake(0, 768, "x"), "the server's desktop 0x768 is outside the limits");
  }

  @Test
  void aHugeDesktopNameIsRefused() {
    byte[] script = RfbBytes.handshake(8, 8, "").toBytes();
    ByteBuffer.wrap(script).putInt(script.length - 4, 0x7FFF_FFFF);
    assertHandshakeFails(RfbBytes.create().bytes(script), "desktop name is 2147483647 bytes long, more than 4096");
  }

  @Test
  void aStreamThatEndsInTheHandshakeIsRefused() {
    byte[] script = RfbBytes.handshake(8, 8, "name").toBytes();
    assertHandshakeFails(RfbBytes.create().bytes(Arrays.copyOf(script, script.length - 2)),
        "the server closed the connection in the middle of a message");
  }

  @Test
  void aServerThatStallsTheHandshakeTimesOut() {
    ScriptedChannel channel = ScriptedChannel.open(RfbBytes.create().ascii("RFB 003.008\n").toBytes());
    RfbLimits limits = RfbLimits.defaults().withHandshakeTimeout(Duration.ofMillis(200));
    assertThatThrownBy(() -> RfbClient.open(channel, new RecordingRfbListener(), limits))
        .isInstanceOf(RfbProtocolException.class)
        .hasMessage("the RFB server at channel did not finish the handshake within 200 ms");
    assertThat(channel.isOpen()).isFalse();
  }

  private static void assertHandshakeFails(RfbBytes server, String... messageParts) {
    ScriptedChannel channel = ScriptedChannel.ending(server.toBytes());
    assertThatThrownBy(() -> RfbClient.open(channel, new RecordingRfbListener(), RfbLimits.defaults()))
        .isInstanceOf(RfbProtocolException.class)
        .hasMessageContainingAll(messageParts);
    assertThat(channel.isOpen()).as("the client closed the channel").isFalse();
  }
}
