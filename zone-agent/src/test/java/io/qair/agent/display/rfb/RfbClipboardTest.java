package io.qair.agent.display.rfb;

import static io.qair.agent.display.rfb.ExtendedClipboard.CAPS;
import static io.qair.agent.display.rfb.ExtendedClipboard.NOTIFY;
import static io.qair.agent.display.rfb.ExtendedClipboard.PEEK;
import static io.qair.agent.display.rfb.ExtendedClipboard.PROVIDE;
import static io.qair.agent.display.rfb.ExtendedClipboard.REQUEST;
import static io.qair.agent.display.rfb.ExtendedClipboard.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** TigerVNC's Extended Clipboard: UTF-8 text both ways, on literal bytes. */
class RfbClipboardTest {
  private static final int ALL = CAPS | REQUEST | PEEK | NOTIFY | PROVIDE | TEXT;
  private static final int SETUP = RfbBytes.CLIENT_HANDSHAKE_BYTES + RfbBytes.CLIENT_SETUP_BYTES;

  @Test
  void capsAreAnsweredAndTextGoesToTheServerWhenItAsks() throws Exception {
    RfbFixture f = withCaps(RfbLimits.defaults());
    f.client().cutText("gr\u00fc\u00dfe \u2713\nzwei");
    assertThat(tail(f, SETUP + 16, 12)).isEqualTo(serverOrClient(6, NOTIFY | TEXT));

    f.channel().feed(serverOrClient(3, REQUEST | TEXT));
    byte[] provide = tail(f, SETUP + 28, -1);
    ByteBuffer b = ByteBuffer.wrap(provide);
    assertThat(b.get()).isEqualTo((byte) 6);
    b.position(4);
    assertThat(b.getInt()).isEqualTo(-(provide.length - 8));
    assertThat(b.getInt()).isEqualTo(PROVIDE | TEXT);
    byte[] inflated = inflate(Arrays.copyOfRange(provide, 12, provide.length));
    byte[] utf8 = "gr\u00fc\u00dfe \u2713\r\nzwei\0".getBytes(StandardCharsets.UTF_8);
    assertThat(ByteBuffer.wrap(inflated).getInt()).isEqualTo(utf8.length);
    assertThat(Arrays.copyOfRange(inflated, 4, inflated.length)).isEqualTo(utf8);
  }

  @Test
  void textTheServerProvidesReachesTheListenerWithLfNewlines() throws Exception {
    RfbFixture f = withCaps(RfbLimits.defaults());
    f.channel().feed(provide("h\u00e9llo\r\n\u2192 w\u00f6rld"));
    assertThat(f.listener().cutTexts.poll(10, TimeUnit.SECONDS)).isEqualTo("h\u00e9llo\n\u2192 w\u00f6rld");
  }

  @Test
  void aNotifyIsAnsweredWithARequestAndAPeekWithANotify() throws Exception {
    RfbFixture f = withCaps(RfbLimits.defaults());
    f.channel().feed(serverOrClient(3, NOTIFY | TEXT));
    assertThat(tail(f, SETUP + 16, 12)).isEqualTo(serverOrClient(6, REQUEST | TEXT));
    f.channel().feed(serverOrClient(3, PEEK));
    assertThat(tail(f, SETUP + 28, 12)).isEqualTo(serverOrClient(6, NOTIFY));
  }

  @Test
  void textOverTheLimitIsDroppedAndTheConnectionLives() throws Exception {
    RfbFixture f = withCaps(RfbLimits.defaults().withMaxCutTextBytes(16));
    f.channel().feed(provide("x".repeat(100)));
    f.channel().feed(provide("small"));
    assertThat(f.listener().cutTexts.poll(10, TimeUnit.SECONDS)).isEqualTo("small");
  }

  @Test
  void providedDataThatIsNotZlibFails() throws Exception {
    RfbFixture f = withCaps(RfbLimits.defaults());
    f.channel().feed(RfbBytes.create().u8(3).u8(0).u16(0).s32(-8).s32(PROVIDE | TEXT).u32(0xDEADBEEFL).toBytes());
    assertThat(f.failure()).startsWith("the server's clipboard data is not valid zlib");
  }

  @Test
  void providedTextShorterThanItsSizeFails() throws Exception {
    RfbFixture f = withCaps(RfbLimits.defaults());
    byte[] z = RfbBytes.deflate(new Deflater(), RfbBytes.create().u32(10).ascii("abc").toBytes());
    f.channel().feed(RfbBytes.create().u8(3).u8(0).u16(0).s32(-(4 + z.length)).s32(PROVIDE | TEXT).bytes(z).toBytes());
    assertThat(f.failure()).isEqualTo("the server's clipboard data ended after 3 of 10 bytes");
  }

  /** A client that got the server's caps and answered with its own. */
  private static RfbFixture withCaps(RfbLimits limits) throws Exception {
    RfbFixture f = RfbFixture.open(ScriptedChannel.open(RfbBytes.handshake(8, 8, "q")
        .u8(3).u8(0).u16(0).s32(-8).s32(ALL).u32(0).toBytes()), limits);
    byte[] caps = RfbBytes.create().u8(6).u8(0).u16(0).s32(-8).s32(ALL).u32(limits.maxCutTextBytes()).toBytes();
    assertThat(tail(f, SETUP, 16)).isEqualTo(caps);
    return f;
  }

  private static byte[] serverOrClient(int type, int flags) {
    return RfbBytes.create().u8(type).u8(0).u16(0).s32(-4).s32(flags).toBytes();
  }

  private static byte[] provide(String text) {
    byte[] utf8 = (text + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] z = RfbBytes.deflate(new Deflater(), RfbBytes.create().u32(utf8.length).bytes(utf8).toBytes());
    return RfbBytes.create().u8(3).u8(0).u16(0).s32(-(4 + z.length)).s32(PROVIDE | TEXT).bytes(z).toBytes();
  }

  /** The client's output from {@code from}: {@code length} bytes, or (-1) one whole cut-text message. */
  private static byte[] tail(RfbFixture f, int from, int length) throws Exception {
    if (length < 0) {
      byte[] header = f.channel().awaitWritten(from + 8);
      length = 8 - ByteBuffer.wrap(header, from + 4, 4).getInt();
    }
    return Arrays.copyOfRange(f.channel().awaitWritten(from + length), from, from + length);
  }

  private static byte[] inflate(byte[] z) throws Exception {
    Inflater inflater = new Inflater();
    inflater.setInput(z);
    byte[] out = new byte[1024];
    int n = inflater.inflate(out);
    inflater.end();
    return Arrays.copyOf(out, n);
  }
}
