package io.qair.agent.display.guac;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Collects the instructions of one frame into WebSocket text messages of bounded size (a message
 * always holds whole instructions) and writes images as {@code img} + {@code blob}s + {@code end}.
 */
public final class FrameBuilder {
  /** Text per WebSocket message; well under the default 64 KiB frame / 256 KiB message limits. */
  public static final int MESSAGE_CHARS = 48 * 1024;
  /** Bytes per {@code blob} before base64 (as guacd cuts them: 8064 characters each). */
  static final int BLOB_BYTES = 6048;

  private final List<String> messages = new ArrayList<>();
  private StringBuilder current = new StringBuilder();
  private long bytes;

  public FrameBuilder add(GuacInstruction i) {
    int before = current.length();
    i.appendTo(current);
    if (current.length() > MESSAGE_CHARS && before > 0) {
      String tail = current.substring(before);
      current.setLength(before);
      flushMessage();
      current.append(tail);
    }
    return this;
  }

  public FrameBuilder add(String opcode, Object... args) {
    return add(GuacInstruction.of(opcode, args));
  }

  /** {@code img,STREAM,MASK,LAYER,MIME,X,Y}, the data as blobs, {@code end,STREAM}. */
  public FrameBuilder image(int stream, int compositeMask, int layer, String mimetype, int x, int y, byte[] data) {
    add("img", stream, compositeMask, layer, mimetype, x, y);
    Base64.Encoder b64 = Base64.getEncoder();
    for (int i = 0; i < data.length; i += BLOB_BYTES) {
      add("blob", stream, b64.encodeToString(java.util.Arrays.copyOfRange(data, i, Math.min(data.length, i + BLOB_BYTES))));
    }
    add("end", stream);
    return this;
  }

  public boolean isEmpty() {
    return messages.isEmpty() && current.length() == 0;
  }

  /** The messages of this frame, in order; the builder is empty afterwards. */
  public List<String> drain() {
    flushMessage();
    List<String> out = new ArrayList<>(messages);
    messages.clear();
    return out;
  }

  /** Characters produced so far (for statistics). */
  public long bytes() {
    return bytes + current.length();
  }

  private void flushMessage() {
    if (current.length() > 0) {
      bytes += current.length();
      messages.add(current.toString());
      current = new StringBuilder();
    }
  }
}
