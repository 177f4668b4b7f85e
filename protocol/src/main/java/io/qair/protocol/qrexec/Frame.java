package io.qair.protocol.qrexec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One qrexec frame. Immutable; the payload array is owned by the frame. */
public record Frame(FrameType type, byte[] payload) {
  /** Header: 1 byte type, 4 bytes big-endian payload length. */
  public static final int HEADER = 5;
  /** Largest payload a peer may send; anything larger is a protocol error. */
  public static final int MAX_PAYLOAD = 64 * 1024;

  public Frame {
    if (payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("frame payload " + payload.length + " > " + MAX_PAYLOAD);
    }
  }

  public static Frame of(FrameType type, byte[] data, int off, int len) {
    return new Frame(type, Arrays.copyOfRange(data, off, off + len));
  }

  public static Frame eof(FrameType stream) {
    return new Frame(stream, new byte[0]);
  }

  public static Frame exit(int code) {
    return new Frame(FrameType.EXIT, ByteBuffer.allocate(4).putInt(code).array());
  }

  public static Frame error(String message) {
    byte[] b = message.getBytes(StandardCharsets.UTF_8);
    return new Frame(FrameType.ERROR, b.length > 4096 ? Arrays.copyOf(b, 4096) : b);
  }

  public boolean isEof() {
    return payload.length == 0
        && (type == FrameType.STDIN || type == FrameType.STDOUT || type == FrameType.STDERR);
  }

  /** The exit code of an EXIT frame. */
  public int exitCode() {
    if (type != FrameType.EXIT || payload.length != 4) {
      throw new FrameException("not a valid EXIT frame");
    }
    return ByteBuffer.wrap(payload).getInt();
  }

  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The frame on the wire: header and payload. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
    b.put((byte) type.code()).putInt(payload.length).put(payload);
    return b.array();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && f.type == type && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Frame[" + type + ", " + payload.length + " bytes]";
  }
}
