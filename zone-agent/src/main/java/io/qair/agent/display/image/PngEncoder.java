package io.qair.agent.display.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A fast PNG writer for screen content: 8-bit RGB, one filter per row (None, Sub or Up, whichever
 * has the smallest sum of absolute differences, as libpng's heuristic), zlib at a fast level.
 * Not thread-safe: one per encoding thread.
 */
public final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private byte[] raw = new byte[0];
  private byte[] prev = new byte[0];
  private byte[] cur = new byte[0];
  private byte[] sub = new byte[0];
  private byte[] up = new byte[0];
  private byte[] chunk = new byte[64 * 1024];

  public PngEncoder(int level) {
    this.deflater = new Deflater(level);
  }

  /** Encodes the {@code w}x{@code h} region at {@code x},{@code y} of {@code argb} (row length {@code stride}). */
  public byte[] encode(int[] argb, int stride, int x, int y, int w, int h) {
    int rowBytes = w * 3;
    int rawLen = (rowBytes + 1) * h;
    if (raw.length < rawLen) {
      raw = new byte[rawLen];
    }
    if (cur.length < rowBytes) {
      prev = new byte[rowBytes];
      cur = new byte[rowBytes];
      sub = new byte[rowBytes];
      up = new byte[rowBytes];
    }
    java.util.Arrays.fill(prev, 0, rowBytes, (byte) 0);
    int o = 0;
    for (int row = 0; row < h; row++) {
      int base = (y + row) * stride + x;
      for (int i = 0, j = 0; i < w; i++) {
        int p = argb[base + i];
        cur[j++] = (byte) (p >>> 16);
        cur[j++] = (byte) (p >>> 8);
        cur[j++] = (byte) p;
      }
      long sNone = 0;
      long sSub = 0;
      long sUp = 0;
      for (int j = 0; j < rowBytes; j++) {
        int c = cur[j] & 0xff;
        int a = j >= 3 ? cur[j - 3] & 0xff : 0;
        int b = prev[j] & 0xff;
        byte vs = (byte) (c - a);
        byte vu = (byte) (c - b);
        sub[j] = vs;
        up[j] = vu;
        sNone += c < 128 ? c : 256 - c;
        sSub += Math.abs((int) vs);
        sUp += Math.abs((int) vu);
      }
      byte[] chosen;
      byte type;
      if (sSub <= sUp && sSub <= sNone) {
        chosen = sub;
        type = 1;
      } else if (sUp <= sNone) {
        chosen = up;
        type = 2;
      } else {
        chosen = cur;
        type = 0;
      }
      raw[o++] = type;
      System.arraycopy(chosen, 0, raw, o, rowBytes);
      o += rowBytes;
      byte[] t = prev;
      prev = cur;
      cur = t;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(rawLen / 4 + 64);
    out.writeBytes(SIGNATURE);
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array(), 13);
    deflater.reset();
    deflater.setInput(raw, 0, rawLen);
    deflater.finish();
    ByteArrayOutputStream z = new ByteArrayOutputStream(rawLen / 4 + 64);
    while (!deflater.finished()) {
      int n = deflater.deflate(chunk);
      z.write(chunk, 0, n);
    }
    byte[] idat = z.toByteArray();
    chunk(out, "IDAT", idat, idat.length);
    chunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  private void chunk(ByteArrayOutputStream out, String type, byte[] data, int len) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(len).array());
    out.writeBytes(t);
    out.write(data, 0, len);
    crc.reset();
    crc.update(t);
    crc.update(data, 0, len);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
