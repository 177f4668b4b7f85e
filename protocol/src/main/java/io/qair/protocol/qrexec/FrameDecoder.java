package io.qair.protocol.qrexec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental decoder for untrusted bytes: feed it whatever arrived, get back the complete frames.
 * It never buffers more than one frame, and rejects unknown types and oversized lengths as soon
 * as the header is seen, before reading the payload.
 */
public final class FrameDecoder {
  private final byte[] header = new byte[Frame.HEADER];
  private int headerFill;
  private FrameType type;
  private byte[] payload;
  private int payloadFill;

  /** Decodes all complete frames in {@code data[off, off+len)}; keeps any partial frame. */
  public List<Frame> feed(byte[] data, int off, int len) {
    List<Frame> out = new ArrayList<>(2);
    int i = off;
    int end = off + len;
    while (i < end) {
      if (payload == null) {
        int n = Math.min(Frame.HEADER - headerFill, end - i);
        System.arraycopy(data, i, header, headerFill, n);
        headerFill += n;
        i += n;
        if (headerFill < Frame.HEADER) {
          break;
        }
        int code = header[0] & 0xff;
        type = FrameType.of(code);
        if (type == null) {
          throw new FrameException("unknown frame type " + code);
        }
        long length = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16)
            | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        if (length > Frame.MAX_PAYLOAD) {
          throw new FrameException("frame of " + length + " bytes exceeds the limit of " + Frame.MAX_PAYLOAD);
        }
        payload = new byte[(int) length];
        payloadFill = 0;
      }
      int n = Math.min(payload.length - payloadFill, end - i);
      System.arraycopy(data, i, payload, payloadFill, n);
      payloadFill += n;
      i += n;
      if (payloadFill == payload.length) {
        out.add(new Frame(type, payload));
        payload = null;
        headerFill = 0;
      }
    }
    return out;
  }

  public List<Frame> feed(byte[] data) {
    return feed(data, 0, data.length);
  }

  /** True when no partial frame is buffered: a stream may end cleanly here. */
  public boolean atBoundary() {
    return payload == null && headerFill == 0;
  }

  /** Encodes the EXEC payload: id, argc, argv and env entries, each NUL-terminated. */
  public static byte[] execPayload(int id, List<String> argv, List<String> env) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeInt(b, id);
    writeInt(b, argv.size());
    for (String s : argv) {
      writeString(b, s);
    }
    for (String s : env) {
      writeString(b, s);
    }
    return b.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream b, int v) {
    b.write(v >>> 24);
    b.write(v >>> 16);
    b.write(v >>> 8);
    b.write(v);
  }

  private static void writeString(ByteArrayOutputStream b, String s) {
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte x : bytes) {
      if (x == 0) {
        throw new IllegalArgumentException("NUL byte in exec argument");
      }
    }
    b.writeBytes(bytes);
    b.write(0);
  }
}
