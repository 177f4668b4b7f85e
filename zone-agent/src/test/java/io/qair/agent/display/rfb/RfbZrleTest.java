package io.qair.agent.display.rfb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** ZRLE tiles of every subencoding, built by hand and deflated with java.util.zip. */
class RfbZrleTest {
  private static final int RED = 0xFFFF0000;
  private static final int GREEN = 0xFF00FF00;
  private static final int BLUE = 0xFF0000FF;
  private static final int GREY = 0xFF808080;

  @Test
  void rawTileHoldsThreeByteCpixels() throws Exception {
    int[] px = {RED, GREEN, BLUE, GREY, 0xFF123456, 0xFFABCDEF};
    assertThat(decode(3, 2, RfbBytes.create().u8(0).cpixels(px))).containsExactly(px);
  }

  @Test
  void solidTileFillsTheTile() throws Exception {
    int[] out = decode(5, 3, RfbBytes.create().u8(1).cpixels(0xFF3465A4));
    assertThat(out).hasSize(15).containsOnly(0xFF3465A4);
  }

  @Test
  void packedPaletteOfTwoUsesOneBitPerPixelWithRowsPaddedToBytes() throws Exception {
    int[] out = decode(9, 2, RfbBytes.create().u8(2).cpixels(RED, BLUE)
        .u8(0b1010_1010).u8(0b1000_0000)
        .u8(0b0101_0101).u8(0b0000_0000));
    assertThat(out).containsExactly(
        BLUE, RED, BLUE, RED, BLUE, RED, BLUE, RED, BLUE,
        RED, BLUE, RED, BLUE, RED, BLUE, RED, BLUE, RED);
  }

  @Test
  void packedPaletteOfThreeUsesTwoBits() throws Exception {
    int[] out = decode(3, 2, RfbBytes.create().u8(3).cpixels(RED, GREEN, BLUE).u8(0b0001_1000).u8(0b1010_0100));
    assertThat(out).containsExactly(RED, GREEN, BLUE, BLUE, BLUE, GREEN);
  }

  @Test
  void packedPaletteOfSixteenUsesFourBits() throws Exception {
    int[] palette = new int[16];
    for (int i = 0; i < 16; i++) {
      palette[i] = 0xFF000000 | i * 0x101010;
    }
    int[] out = decode(3, 1, RfbBytes.create().u8(16).cpixels(palette).u8(0xF0).u8(0x70));
    assertThat(out).containsExactly(palette[15], palette[0], palette[7]);
  }

  @Test
  void plainRleRunsUse255AsContinuation() throws Exception {
    // 64x64 = 4096 pixels: 300 red (299 = 255 + 44), 3796 green (3795 = 14 * 255 + 225)
    RfbBytes tile = RfbBytes.create().u8(128).cpixels(RED).u8(255).u8(44).cpixels(GREEN);
    for (int i = 0; i < 14; i++) {
      tile.u8(255);
    }
    int[] out = decode(64, 64, tile.u8(225));
    assertThat(Arrays.copyOfRange(out, 0, 300)).containsOnly(RED);
    assertThat(Arrays.copyOfRange(out, 300, 4096)).containsOnly(GREEN);
  }

  @Test
  void paletteRleMixesSinglePixelsAndRuns() throws Exception {
    int[] out = decode(4, 2, RfbBytes.create().u8(130).cpixels(RED, BLUE).u8(0x00).u8(0x81).u8(5).u8(0x00));
    assertThat(out).containsExactly(RED, BLUE, BLUE, BLUE, BLUE, BLUE, BLUE, RED);
  }

  @Test
  void partialEdgeTilesAreDecodedAtTheirOwnSize() throws Exception {
    int[] corner = new int[12];
    Arrays.fill(corner, GREY);
    corner[11] = 0xFF010203;
    RfbBytes tiles = RfbBytes.create()
        .u8(1).cpixels(RED) // 64x64 at 0,0
        .u8(1).cpixels(GREEN) // 6x64 at 64,0
        .u8(1).cpixels(BLUE) // 64x2 at 0,64
        .u8(0).cpixels(corner); // 6x2 at 64,64
    RfbFixture f = RfbEncodingsTest.open(RfbBytes.handshake(80, 70, "q").update(1).rect(2, 1, 70, 66, 16)
        .zrle(new Deflater(), tiles.toBytes()));

    RecordingRfbListener.Update u = f.listener().nextUpdate();
    assertThat(u.changes()).containsExactly(new RfbChange.Pixels(Rect.of(2, 1, 70, 66)));
    assertThat(u.pixel(2, 1)).isEqualTo(RED);
    assertThat(u.pixel(65, 64)).isEqualTo(RED);
    assertThat(u.pixel(66, 1)).isEqualTo(GREEN);
    assertThat(u.pixel(71, 64)).isEqualTo(GREEN);
    assertThat(u.pixel(2, 65)).isEqualTo(BLUE);
    assertThat(u.pixel(66, 65)).isEqualTo(GREY);
    assertThat(u.pixel(71, 66)).isEqualTo(0xFF010203);
    assertThat(u.pixel(72, 66)).isEqualTo(0xFF000000);
    assertThat(u.pixel(71, 67)).isEqualTo(0xFF000000);
  }

  @Test
  void oneZlibStreamRunsThroughTheWholeConnection() throws Exception {
    Deflater deflater = new Deflater();
    RfbFixture f = RfbEncodingsTest.open(RfbBytes.handshake(2, 1, "q")
        .update(1).rect(0, 0, 1, 1, 16).zrle(deflater, RfbBytes.create().u8(1).cpixels(RED).toBytes())
        .update(2).rect(1, 0, 1, 1, 16).zrle(deflater, RfbBytes.create().u8(1).cpixels(RED).toBytes())
        .rect(0, 0, 1, 1, 16).zrle(deflater, RfbBytes.create().u8(1).cpixels(BLUE).toBytes()));

    f.listener().nextUpdate();
    assertThat(f.listener().nextUpdate().pixels()).containsExactly(BLUE, RED);
    assertThat(((ChannelRfbClient) f.client()).rects(ClientMessages.ZRLE)).isEqualTo(3);
  }

  @Test
  void cpixelSizeFollowsRfc6143() {
    assertThat(PixelFormat.ARGB32.bytesPerCpixel()).isEqualTo(3);
    assertThat(PixelFormat.ARGB32.cpixelShift()).isZero();
    PixelFormat highBytes = new PixelFormat(32, 24, true, true, 255, 255, 255, 24, 16, 8);
    assertThat(highBytes.bytesPerCpixel()).isEqualTo(3);
    assertThat(highBytes.cpixelShift()).isEqualTo(8);
    assertThat(highBytes.toArgb(highBytes.assemble(new byte[] {0x12, 0x34, 0x56}, 0, 3) << 8)).isEqualTo(0xFF123456);
    assertThat(new PixelFormat(32, 32, false, true, 255, 255, 255, 16, 8, 0).bytesPerCpixel()).isEqualTo(4);
    assertThat(new PixelFormat(32, 24, false, true, 255, 255, 255, 20, 10, 0).bytesPerCpixel())
        .as("colour bits straddle both ends").isEqualTo(4);
    assertThat(new PixelFormat(16, 16, false, true, 31, 63, 31, 11, 5, 0).bytesPerCpixel()).isEqualTo(2);
    assertThat(new PixelFormat(16, 16, false, true, 31, 63, 31, 11, 5, 0).toArgb(0xF800)).isEqualTo(0xFFFF0000);
  }

  /** Decodes one tile of w x h at 0,0 of a w x h framebuffer. */
  static int[] decode(int w, int h, RfbBytes tile) throws Exception {
    RfbFixture f = RfbEncodingsTest.open(RfbBytes.handshake(w, h, "q").update(1).rect(0, 0, w, h, 16)
        .zrle(new Deflater(), tile.toBytes()));
    RecordingRfbListener.Update u = f.listener().nextUpdate();
    f.client().close();
    return u.pixels();
  }
}
