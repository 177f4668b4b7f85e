package io.qair.agent.display.rfb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Raw, CopyRect, DesktopSize, Cursor and the other server messages, on literal bytes. */
class RfbEncodingsTest {
  private static final int RED = 0xFFFF0000;
  private static final int GREEN = 0xFF00FF00;
  private static final int BLUE = 0xFF0000FF;
  private static final int GREY = 0xFF808080;
  private static final int BLACK = 0xFF000000;

  @Test
  void rawRectangleIsDecodedFromLittleEndianBgrx() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(4, 3, "q").update(1).rect(1, 1, 2, 2, 0)
        .pixels(RED, GREEN, BLUE, 0xFF123456));

    RecordingRfbListener.Update u = f.listener().nextUpdate();
    assertThat(u.changes()).containsExactly(new RfbChange.Pixels(Rect.of(1, 1, 2, 2)));
    assertThat(u.pixels()).containsExactly(
        BLACK, BLACK, BLACK, BLACK,
        BLACK, RED, GREEN, BLACK,
        BLACK, BLUE, 0xFF123456, BLACK);
  }

  @Test
  void copyRectMovesPixelsWithoutOverlap() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(4, 2, "q").update(2)
        .rect(0, 0, 2, 1, 0).pixels(RED, GREEN)
        .rect(2, 1, 2, 1, 1).u16(0).u16(0));

    RecordingRfbListener.Update u = f.listener().nextUpdate();
    assertThat(u.changes()).containsExactly(new RfbChange.Pixels(Rect.of(0, 0, 2, 1)),
        new RfbChange.Copy(Rect.of(2, 1, 2, 1), 0, 0));
    assertThat(u.pixels()).containsExactly(RED, GREEN, BLACK, BLACK, BLACK, BLACK, RED, GREEN);
  }

  @Test
  void copyRectScrollsDownAndUpThroughOverlappingRows() throws Exception {
    // rows 0..3 are R,G,B,GREY; scroll down by one (0..2 -> 1..3) then up by two (2..3 -> 0..1)
    RfbFixture f = open(RfbBytes.handshake(1, 4, "q").update(1).rect(0, 0, 1, 4, 0).pixels(RED, GREEN, BLUE, GREY)
        .update(1).rect(0, 1, 1, 3, 1).u16(0).u16(0)
        .update(1).rect(0, 0, 1, 2, 1).u16(0).u16(2));

    f.listener().nextUpdate();
    assertThat(f.listener().nextUpdate().pixels()).containsExactly(RED, RED, GREEN, BLUE);
    assertThat(f.listener().nextUpdate().pixels()).containsExactly(GREEN, BLUE, GREEN, BLUE);
  }

  @Test
  void copyRectShiftsRightAndLeftInsideOneRow() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(4, 1, "q").update(1).rect(0, 0, 4, 1, 0).pixels(RED, GREEN, BLUE, GREY)
        .update(1).rect(1, 0, 3, 1, 1).u16(0).u16(0)
        .update(1).rect(0, 0, 3, 1, 1).u16(1).u16(0));

    f.listener().nextUpdate();
    assertThat(f.listener().nextUpdate().pixels()).containsExactly(RED, RED, GREEN, BLUE);
    assertThat(f.listener().nextUpdate().pixels()).containsExactly(RED, GREEN, BLUE, BLUE);
  }

  @Test
  void desktopSizeResizesTheFramebufferAndDropsEarlierChanges() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(4, 3, "q").update(3)
        .rect(0, 0, 1, 1, 0).pixels(RED)
        .rect(0, 0, 6, 5, -223)
        .rect(5, 4, 1, 1, 0).pixels(BLUE));

    RecordingRfbListener.Update u = f.listener().nextUpdate();
    assertThat(f.listener().resizes).containsExactly(new int[] {6, 5});
    assertThat(u.width()).isEqualTo(6);
    assertThat(u.changes()).containsExactly(new RfbChange.Pixels(Rect.of(5, 4, 1, 1)));
    assertThat(u.pixel(0, 0)).isEqualTo(BLACK);
    assertThat(u.pixel(5, 4)).isEqualTo(BLUE);
    assertThat(f.client().width()).isEqualTo(6);
    assertThat(f.client().height()).isEqualTo(5);
  }

  @Test
  void cursorShapeHasItsMaskInTheAlpha() throws Exception {
    // 3x2 cursor, hotspot 1,1; mask rows 101 and 010 (MSB first, padded to a byte)
    RfbFixture f = open(RfbBytes.handshake(8, 8, "q").update(1).rect(1, 1, 3, 2, -239)
        .pixels(RED, GREEN, BLUE, GREY, RED, GREEN)
        .u8(0b1010_0000).u8(0b0100_0000));

    f.listener().nextUpdate();
    RecordingRfbListener.Cursor c = f.listener().cursors.poll();
    assertThat(c).isNotNull();
    assertThat(c.hotX()).isEqualTo(1);
    assertThat(c.hotY()).isEqualTo(1);
    assertThat(c.width()).isEqualTo(3);
    assertThat(c.argb()).containsExactly(RED, 0, BLUE, 0, RED, 0);
  }

  @Test
  void anEmptyCursorHidesThePointer() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(8, 8, "q").update(1).rect(0, 0, 0, 0, -239));
    f.listener().nextUpdate();
    RecordingRfbListener.Cursor c = f.listener().cursors.poll();
    assertThat(c.width()).isZero();
    assertThat(c.argb()).isEmpty();
  }

  @Test
  void serverCutTextIsLatin1WithLfNewlines() throws Exception {
    byte[] text = {'h', (byte) 0xE9, 'l', 'l', 'o', '\r', '\n', 'w'};
    RfbFixture f = open(RfbBytes.handshake(8, 8, "q").u8(3).u8(0).u8(0).u8(0).u32(text.length).bytes(text));
    assertThat(f.listener().cutTexts.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("h\u00e9llo\nw");
  }

  @Test
  void bellAndColourMapEntriesAreIgnored() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(2, 1, "q")
        .u8(2)
        .u8(1).u8(0).u16(0).u16(2).u16(1).u16(2).u16(3).u16(4).u16(5).u16(6)
        .u8(2)
        .update(1).rect(0, 0, 2, 1, 0).pixels(RED, GREEN));
    assertThat(f.listener().nextUpdate().pixels()).containsExactly(RED, GREEN);
  }

  @Test
  void anEmptyUpdateIsReported() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(2, 1, "q").update(0));
    assertThat(f.listener().nextUpdate().changes()).isEmpty();
  }

  @Test
  void theServerClosingBetweenMessagesIsAnEndOfFile() throws Exception {
    RfbFixture f = RfbFixture.open(ScriptedChannel.ending(RfbBytes.handshake(2, 1, "q").toBytes()));
    assertThat(f.listener().awaitClosed()).get().isInstanceOf(EOFException.class)
        .extracting(Throwable::getMessage).isEqualTo("the RFB server at channel closed the connection");
  }

  @Test
  void closeReportsNoCause() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(2, 1, "q"));
    f.client().close();
    assertThat(f.listener().awaitClosed()).isEmpty();
    f.client().key(0x61, true); // ignored after close
    f.client().close();
  }

  @Test
  void clientMessagesAreEncodedAsRfc6143Says() throws Exception {
    RfbFixture f = open(RfbBytes.handshake(100, 50, "q"));
    f.client().requestUpdate(90, 40, 50, 50, true); // clipped to 10x10
    f.client().requestUpdate(200, 0, 5, 5, false); // nothing left: not sent
    f.client().requestUpdate(0, 0, 100, 50, false);
    f.client().pointer(-5, 70, 0b101); // clamped to 0,49
    f.client().key(0xFF0D, true);
    f.client().key(0x61, false);
    f.client().cutText("a\u00e9\u20ac\r\nb"); // no extended clipboard announced: Latin-1, '?' for the euro

    int setup = RfbBytes.CLIENT_HANDSHAKE_BYTES + RfbBytes.CLIENT_SETUP_BYTES;
    byte[] expected = RfbBytes.create()
        .u8(3).u8(1).u16(90).u16(40).u16(10).u16(10)
        .u8(3).u8(0).u16(0).u16(0).u16(100).u16(50)
        .u8(5).u8(0b101).u16(0).u16(49)
        .u8(4).u8(1).u16(0).u32(0xFF0D)
        .u8(4).u8(0).u16(0).u32(0x61)
        .u8(6).u8(0).u16(0).u32(5).u8('a').u8(0xE9).u8('?').u8('\n').u8('b')
        .toBytes();
    byte[] written = f.channel().awaitWritten(setup + expected.length);
    assertThat(Arrays.copyOfRange(written, setup, written.length)).isEqualTo(expected);
  }

  static RfbFixture open(RfbBytes server) throws Exception {
    return RfbFixture.open(ScriptedChannel.open(server.toBytes()));
  }
}
