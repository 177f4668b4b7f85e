package io.qair.agent.display.rfb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Buffered big-endian reads from the server. The stream may only end between messages: an end
 * anywhere else is an {@link RfbProtocolException}. Memory is the 64 KiB buffer; callers bound
 * every length before they read it.
 */
final class RfbInput {
  private final ReadableByteChannel channel;
  private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();
  private long consumed;

  RfbInput(ReadableByteChannel channel) {
    this.channel = channel;
  }

  /** The next message type, or -1 if the server closed the connection between messages. */
  int messageType() throws IOException {
    if (!buf.hasRemaining() && !fill()) {
      return -1;
    }
    return u8();
  }

  int u8() throws IOException {
    need(1);
    consumed++;
    return buf.get() & 0xFF;
  }

  int u16() throws IOException {
    need(2);
    consumed += 2;
    return buf.getShort() & 0xFFFF;
  }

  int s32() throws IOException {
    need(4);
    consumed += 4;
    return buf.getInt();
  }

  long u32() throws IOException {
    return s32() & 0xFFFF_FFFFL;
  }

  void readFully(byte[] dst, int off, int len) throws IOException {
    while (len > 0) {
      if (!buf.hasRemaining() && !fill()) {
        throw truncated();
      }
      int n = Math.min(len, buf.remaining());
      buf.get(dst, off, n);
      consumed += n;
      off += n;
      len -= n;
    }
  }

  byte[] bytes(int len) throws IOException {
    byte[] b = new byte[len];
    readFully(b, 0, len);
    return b;
  }

  void skip(long len) throws IOException {
    while (len > 0) {
      if (!buf.hasRemaining() && !fill()) {
        throw truncated();
      }
      int n = (int) Math.min(len, buf.remaining());
      buf.position(buf.position() + n);
      consumed += n;
      len -= n;
    }
  }

  /** Bytes read so far, for error messages. */
  long offset() {
    return consumed;
  }

  private void need(int n) throws IOException {
    while (buf.remaining() < n) {
      if (!fill()) {
        throw truncated();
      }
    }
  }

  /** Reads more; false at end of stream. Keeps unread bytes. */
  private boolean fill() throws IOException {
    buf.compact();
    try {
      int n = channel.read(buf);
      if (n == 0) {
        throw new IOException("the RFB channel returned no data: it must be in blocking mode");
      }
      return n > 0;
    } finally {
      buf.flip();
    }
  }

  private RfbProtocolException truncated() {
    return new RfbProtocolException("the server closed the connection in the middle of a message (after byte " + consumed + ")");
  }
}
