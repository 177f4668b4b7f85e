package io.qair.agent.display.rfb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/** Builds literal RFB wire bytes for tests (big-endian, as RFC 6143 says). */
final class RfbBytes {
  /** What the client writes in the handshake and right after it. */
  static final int CLIENT_HANDSHAKE_BYTES = 12 + 1 + 1;
  static final int CLIENT_SETUP_BYTES = 20 + 4 + 4 * ClientMessages.ENCODINGS.length;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static RfbBytes create() {
    return new RfbBytes();
  }

  /** A complete server handshake: version 3.8, security None, OK, ServerInit. */
  static RfbBytes handshake(int width, int height, String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    return create().ascii("RFB 003.008\n").u8(1).u8(1).u32(0)
        .u16(width).u16(height)
        .u8(32).u8(24).u8(0).u8(1).u16(255).u16(255).u16(255).u8(16).u8(8).u8(0).u8(0).u8(0).u8(0)
        .u32(n.length).bytes(n);
  }

  RfbBytes u8(int v) {
    out.write(v);
    return this;
  }

  RfbBytes u16(int v) {
    return u8(v >>> 8).u8(v);
  }

  RfbBytes u32(long v) {
    return u16((int) (v >>> 16)).u16((int) v);
  }

  RfbBytes s32(int v) {
    return u32(v & 0xFFFF_FFFFL);
  }

  RfbBytes bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  RfbBytes ascii(String s) {
    return bytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  RfbBytes update(int rects) {
    return u8(0).u8(0).u16(rects);
  }

  RfbBytes rect(int x, int y, int w, int h, int encoding) {
    return u16(x).u16(y).u16(w).u16(h).s32(encoding);
  }

  /** Raw pixels in the client's format: B, G, R, 0. */
  RfbBytes pixels(int... argb) {
    for (int p : argb) {
      u8(p).u8(p >> 8).u8(p >> 16).u8(0);
    }
    return this;
  }

  /** 3-byte CPIXELs: B, G, R. */
  RfbBytes cpixels(int... argb) {
    for (int p : argb) {
      u8(p).u8(p >> 8).u8(p >> 16);
    }
    return this;
  }

  /** A ZRLE rectangle body: the u32 length and {@code tiles} deflated with a sync flush. */
  RfbBytes zrle(Deflater deflater, byte[] tiles) {
    byte[] z = deflate(deflater, tiles);
    return u32(z.length).bytes(z);
  }

  static byte[] deflate(Deflater deflater, byte[] data) {
    deflater.setInput(data);
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    int n;
    do {
      n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
      z.write(buf, 0, n);
    } while (n == buf.length);
    return z.toByteArray();
  }

  int size() {
    return out.size();
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
