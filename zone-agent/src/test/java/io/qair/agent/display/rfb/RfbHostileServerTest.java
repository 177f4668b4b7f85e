package io.qair.agent.display.rfb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** A hostile server: every violation closes the connection with a clear RfbProtocolException. */
class RfbHostileServerTest {

  @Test
  void rawRectangleOutsideTheFramebuffer() throws Exception {
    assertFails(fb().update(1).rect(3, 2, 2, 1, 0).pixels(1, 2),
        "Raw rectangle 2x1+3+2 lies outside the 4x3 framebuffer");
  }

  @Test
  void hugeRectangle() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 65535, 65535, 0), "Raw rectangle 65535x65535+0+0 lies outside");
  }

  @Test
  void copyRectFromOutsideTheFramebuffer() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 2, 2, 1).u16(3).u16(0), "CopyRect source rectangle 2x2+3+0 lies outside");
  }

  @Test
  void tooManyRectangles() throws Exception {
    assertFails(fb().update(65535), "FramebufferUpdate with 65535 rectangles, more than 16384");
  }

  @Test
  void unaskedEncoding() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 1, 1, 5), "rectangle 1x1+0+0 in encoding 5, which the client did not ask for");
  }

  @Test
  void unknownMessageType() throws Exception {
    assertFails(fb().u8(77), "unknown server message type 77");
  }

  @Test
  void hugeDesktopSize() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 65535, 65535, -223), "DesktopSize 65535x65535 is outside the limits");
  }

  @Test
  void emptyDesktopSize() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 0, 5, -223), "DesktopSize 0x5 is outside the limits");
  }

  @Test
  void hugeCursor() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 4096, 4096, -239), "cursor of 4096x4096, larger than 256x256");
  }

  @Test
  void cursorHotspotOutsideItsImage() throws Exception {
    assertFails(fb().update(1).rect(9, 0, 2, 2, -239), "cursor hotspot 9,0 lies outside its 2x2 image");
  }

  @Test
  void hugeCutText() throws Exception {
    assertFails(fb().u8(3).u8(0).u16(0).u32(0x7FFF_FFFFL), "ServerCutText of 2147483647 bytes, more than 262144");
  }

  @Test
  void cutTextOfMinusTwoToThe31() throws Exception {
    assertFails(fb().u8(3).u8(0).u16(0).u32(0x8000_0000L), "extended clipboard message of 2147483648 bytes: no clipboard is that large");
  }

  @Test
  void extendedClipboardWithoutFlags() throws Exception {
    assertFails(fb().u8(3).u8(0).u16(0).s32(-2).u16(0), "extended clipboard message of 2 bytes has no room for its flags");
  }

  @Test
  void extendedClipboardWithAnUnknownAction() throws Exception {
    assertFails(fb().u8(3).u8(0).u16(0).s32(-4).u32(1L << 31 | 1), "unknown extended clipboard action 0x80000000");
  }

  @Test
  void truncatedUpdate() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 2, 2, 0).pixels(1, 2, 3), "the server closed the connection in the middle of a message");
  }

  @Test
  void zrleRectangleOutsideTheFramebuffer() throws Exception {
    assertFails(fb().update(1).rect(4, 0, 1, 1, 16).u32(0), "ZRLE rectangle 1x1+4+0 lies outside");
  }

  @Test
  void zrleLengthOfTwoToThe32() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 1, 1, 16).u32(0xFFFF_FFFFL),
        "ZRLE rectangle 1x1+0+0 claims 4294967295 bytes of zlib data; at most 1538 can be legal");
  }

  @Test
  void undefinedSubencodings17To127() throws Exception {
    for (int sub : new int[] {17, 64, 127, 129}) {
      assertZrleFails(RfbBytes.create().u8(sub).cpixels(new int[127]),
          "tile at 0,0: subencoding " + sub + " is not defined");
    }
  }

  @Test
  void plainRleRunPastTheEndOfTheTile() throws Exception {
    assertZrleFails(RfbBytes.create().u8(128).cpixels(1).u8(1).cpixels(2).u8(2),
        "a run of at least 3 pixels passes the end of the tile (2 pixels left)");
  }

  @Test
  void endless255RunStopsAtTheTileEnd() throws Exception {
    RfbBytes tile = RfbBytes.create().u8(130).cpixels(1, 2).u8(0x81);
    for (int i = 0; i < 1000; i++) {
      tile.u8(255);
    }
    assertZrleFails(tile, "a run of at least 256 pixels passes the end of the tile (4 pixels left)");
  }

  @Test
  void packedIndexOutsideThePalette() throws Exception {
    assertZrleFails(RfbBytes.create().u8(3).cpixels(1, 2, 3).u8(0b1100_0000).u8(0),
        "packed palette index 3 outside its 3-colour palette");
  }

  @Test
  void paletteRleIndexOutsideThePalette() throws Exception {
    assertZrleFails(RfbBytes.create().u8(131).cpixels(1, 2, 3).u8(0x85).u8(0),
        "palette RLE index 5 outside its 3-colour palette");
  }

  @Test
  void zrleDataAfterTheLastTile() throws Exception {
    assertZrleFails(RfbBytes.create().u8(1).cpixels(1).u8(0), "ZRLE rectangle 2x2+0+0 has data after its last tile");
  }

  @Test
  void zrleDataThatEndsBeforeTheLastTile() throws Exception {
    assertZrleFails(RfbBytes.create().u8(0).cpixels(1, 2), "the zlib data ended before the last tile");
  }

  @Test
  void zrleDataThatIsNotZlib() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 2, 2, 16).u32(6).u32(0xDEADBEEFL).u16(0xFFFF), "bad zlib data");
  }

  @Test
  void zrleDataThatClaimsMoreThanTheStreamHolds() throws Exception {
    assertFails(fb().update(1).rect(0, 0, 2, 2, 16).u32(40).u16(0x789C), "in the middle of a message");
  }

  @Test
  void zlibBombStopsAtTheFirstSurplusByte() throws Exception {
    // one solid 64x64 tile, then 16 MiB of zeros that deflate to ~16 KiB (inside the length bound)
    byte[] bomb = new byte[16 << 20];
    bomb[0] = 1;
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    byte[] z = RfbBytes.deflate(deflater, bomb);
    assertThat((long) z.length).isLessThan(ZrleDecoder.maxCompressedLength(Rect.of(0, 0, 64, 64)));
    RfbFixture f = RfbFixture.open(ScriptedChannel.ending(RfbBytes.handshake(64, 64, "q")
        .update(1).rect(0, 0, 64, 64, 16).u32(z.length).bytes(z).toBytes()));
    assertThat(f.failure()).isEqualTo("ZRLE rectangle 64x64+0+0 has data after its last tile");
  }

  @Test
  void aServerThatDoesNotReadFailsOnceTheOutputLimitIsReached() throws Exception {
    RfbLimits limits = new RfbLimits(8192, 8192, 1 << 20, 100, 1024, 64, 256, Duration.ofSeconds(5), 64);
    BlockingWriteChannel channel = new BlockingWriteChannel(fb().toBytes());
    RfbFixture f = RfbFixture.open(channel, limits);
    for (int i = 0; i < 20; i++) {
      f.client().key(0x61, true);
    }
    assertThat(f.failure()).isEqualTo("the server stopped reading: more than 64 bytes of input are waiting for it");
  }

  /** A server that never reads: writes block until the channel is closed. */
  static final class BlockingWriteChannel extends ScriptedChannel {
    BlockingWriteChannel(byte[] script) {
      super(script, 7);
    }

    @Override
    public synchronized int write(java.nio.ByteBuffer src) throws java.nio.channels.ClosedChannelException {
      if (written().length >= RfbBytes.CLIENT_HANDSHAKE_BYTES) {
        while (isOpen()) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        throw new java.nio.channels.AsynchronousCloseException();
      }
      return super.write(src);
    }
  }

  private static RfbBytes fb() {
    return RfbBytes.handshake(4, 3, "q");
  }

  private static void assertZrleFails(RfbBytes tile, String message) throws Exception {
    assertFails(RfbBytes.handshake(2, 2, "q").update(1).rect(0, 0, 2, 2, 16).zrle(new Deflater(), tile.toBytes()),
        message);
  }

  private static void assertFails(RfbBytes server, String message) throws Exception {
    RfbFixture f = RfbFixture.open(ScriptedChannel.ending(server.toBytes()));
    assertThat(f.failure()).contains(message);
    assertThat(f.channel().isOpen()).isFalse();
  }
}
