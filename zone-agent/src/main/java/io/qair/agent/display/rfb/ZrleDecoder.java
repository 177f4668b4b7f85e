package io.qair.agent.display.rfb;

import java.io.IOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * ZRLE (RFC 6143 7.7.6): one zlib stream for the whole connection; each rectangle's compressed
 * bytes, inflated, are 64x64 tiles left to right, top to bottom, each raw, solid, packed palette
 * (2-16 colours), plain RLE or palette RLE (2-127 colours).
 *
 * <p>Bounded against a hostile server: the compressed length may not exceed what the largest
 * legal encoding of the rectangle needs; bytes are inflated only as tiles ask for them (a zlib
 * bomb gets no further than the first surplus byte); every run and palette index must stay inside
 * its tile and palette; and a rectangle's data must inflate to exactly its tiles.
 */
final class ZrleDecoder implements AutoCloseable {
  private static final int TILE = 64;
  /** Largest tile overhead: subencoding byte plus a 127-colour palette of 3-byte CPIXELs. */
  private static final int TILE_OVERHEAD = 1 + 127 * 4;
  /** Largest encoding of one pixel: a 4-byte CPIXEL plus a one-byte run (plain RLE). */
  private static final int PIXEL_MAX = 5;

  private final PixelFormat format;
  private final int cpixelBytes;
  private final int cpixelShift;
  private final Inflater inflater = new Inflater();
  private final byte[] compressed = new byte[32 * 1024];
  private final byte[] inflated = new byte[64 * 1024];
  private final int[] tile = new int[TILE * TILE];
  private final int[] palette = new int[127];
  private final byte[] pixelBytes = new byte[4];
  private int pos;
  private int lim;
  private long compressedLeft;
  private RfbInput src;
  private Rect rect;

  ZrleDecoder(PixelFormat format) {
    this.format = format;
    this.cpixelBytes = format.bytesPerCpixel();
    this.cpixelShift = cpixelBytes == 3 ? format.cpixelShift() : 0;
  }

  /** The most compressed bytes a rectangle may take (zlib adds at most ~0.1% to stored data). */
  static long maxCompressedLength(Rect r) {
    long tiles = ((r.width() + TILE - 1L) / TILE) * ((r.height() + TILE - 1L) / TILE);
    long inflatedMax = tiles * TILE_OVERHEAD + r.area() * PIXEL_MAX;
    return inflatedMax + inflatedMax / 1024 + 1024;
  }

  /** Reads one ZRLE rectangle (length, zlib data) from {@code in} into {@code fb} at {@code r}. */
  void decode(RfbInput in, Rect r, Framebuffer fb) throws IOException {
    long length = in.u32();
    if (length > maxCompressedLength(r)) {
      throw new RfbProtocolException("ZRLE rectangle " + r + " claims " + length
          + " bytes of zlib data; at most " + maxCompressedLength(r) + " can be legal");
    }
    src = in;
    rect = r;
    compressedLeft = length;
    pos = 0;
    lim = 0;
    try {
      for (int ty = 0; ty < r.height(); ty += TILE) {
        int th = Math.min(TILE, r.height() - ty);
        for (int tx = 0; tx < r.width(); tx += TILE) {
          int tw = Math.min(TILE, r.width() - tx);
          tile(tx, ty, tw, th);
          fb.put(r.x() + tx, r.y() + ty, tw, th, tile);
        }
      }
      finish();
    } finally {
      src = null;
    }
  }

  private void tile(int tx, int ty, int tw, int th) throws IOException {
    int n = tw * th;
    int sub = u8();
    if (sub == 0) {
      for (int i = 0; i < n; i++) {
        tile[i] = cpixel();
      }
    } else if (sub == 1) {
      Arrays.fill(tile, 0, n, cpixel());
    } else if (sub <= 16) {
      readPalette(sub);
      packed(sub, tw, th, tx, ty);
    } else if (sub == 128) {
      for (int i = 0; i < n; ) {
        int colour = cpixel();
        int run = runLength(n - i, tx, ty);
        Arrays.fill(tile, i, i + run, colour);
        i += run;
      }
    } else if (sub >= 130) {
      int size = sub - 128;
      readPalette(size);
      for (int i = 0; i < n; ) {
        int b = u8();
        int index = b & 0x7F;
        if (index >= size) {
          throw tileError(tx, ty, "palette RLE index " + index + " outside its " + size + "-colour palette");
        }
        int run = (b & 0x80) != 0 ? runLength(n - i, tx, ty) : 1;
        Arrays.fill(tile, i, i + run, palette[index]);
        i += run;
      }
    } else {
      throw tileError(tx, ty, "subencoding " + sub + " is not defined (palettes hold 2 to 16 colours packed, 2 to 127 run-length)");
    }
  }

  private void packed(int size, int tw, int th, int tx, int ty) throws IOException {
    int bits = size == 2 ? 1 : size <= 4 ? 2 : 4;
    int mask = (1 << bits) - 1;
    for (int y = 0; y < th; y++) {
      int shift = 0;
      int b = 0;
      for (int x = 0; x < tw; x++) {
        if (shift == 0) {
          b = u8();
          shift = 8;
        }
        shift -= bits;
        int index = (b >> shift) & mask;
        if (index >= size) {
          throw tileError(tx, ty, "packed palette index " + index + " outside its " + size + "-colour palette");
        }
        tile[y * tw + x] = palette[index];
      }
    }
  }

  private void readPalette(int size) throws IOException {
    for (int i = 0; i < size; i++) {
      palette[i] = cpixel();
    }
  }

  private int runLength(int left, int tx, int ty) throws IOException {
    int run = 1;
    int b;
    do {
      b = u8();
      run += b;
      if (run > left) {
        throw tileError(tx, ty, "a run of at least " + run + " pixels passes the end of the tile ("
            + left + " pixels left)");
      }
    } while (b == 255);
    return run;
  }

  private int cpixel() throws IOException {
    for (int i = 0; i < cpixelBytes; i++) {
      pixelBytes[i] = (byte) u8();
    }
    return format.toArgb(format.assemble(pixelBytes, 0, cpixelBytes) << cpixelShift);
  }

  private int u8() throws IOException {
    if (pos == lim) {
      refill();
    }
    return inflated[pos++] & 0xFF;
  }

  private void refill() throws IOException {
    int stalls = 0;
    while (true) {
      int n = inflateSome();
      if (n > 0) {
        pos = 0;
        lim = n;
        return;
      }
      if (inflater.needsInput()) {
        if (compressedLeft == 0) {
          throw new RfbProtocolException("ZRLE rectangle " + rect + ": the zlib data ended before the last tile");
        }
        feed();
      } else if (++stalls > 2) {
        throw new RfbProtocolException("ZRLE rectangle " + rect + ": the zlib stream makes no progress");
      }
    }
  }

  /** After the last tile: the rest of the rectangle's zlib data must inflate to nothing. */
  private void finish() throws IOException {
    if (pos < lim) {
      throw new RfbProtocolException("ZRLE rectangle " + rect + " has data after its last tile");
    }
    int stalls = 0;
    do {
      if (inflater.needsInput() && compressedLeft > 0) {
        feed();
      }
      if (inflateSome() > 0) {
        throw new RfbProtocolException("ZRLE rectangle " + rect + " has data after its last tile");
      }
      if (!inflater.needsInput() && ++stalls > 2) {
        throw new RfbProtocolException("ZRLE rectangle " + rect + ": the zlib stream makes no progress");
      }
    } while (compressedLeft > 0 || !inflater.needsInput());
  }

  private int inflateSome() throws RfbProtocolException {
    if (inflater.finished()) {
      throw new RfbProtocolException("ZRLE rectangle " + rect + ": the server ended the connection's zlib stream");
    }
    if (inflater.needsDictionary()) {
      throw new RfbProtocolException("ZRLE rectangle " + rect + ": the zlib stream asks for a preset dictionary");
    }
    try {
      return inflater.inflate(inflated);
    } catch (DataFormatException e) {
      throw new RfbProtocolException("ZRLE rectangle " + rect + ": bad zlib data (" + e.getMessage() + ")", e);
    }
  }

  private void feed() throws IOException {
    int n = (int) Math.min(compressed.length, compressedLeft);
    src.readFully(compressed, 0, n);
    compressedLeft -= n;
    inflater.setInput(compressed, 0, n);
  }

  private RfbProtocolException tileError(int tx, int ty, String why) {
    return new RfbProtocolException("ZRLE rectangle " + rect + ", tile at " + tx + "," + ty + ": " + why);
  }

  @Override
  public void close() {
    inflater.end();
  }
}
