package io.qair.protocol.qrexec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * Fuzzes the frame decoder with Jazzer: untrusted bytes cut into fuzzed chunks. The decoder must
 * return frames or throw a {@link FrameException}, never anything else; every frame it returns is
 * within the size limit and of a known type; and the same bytes fed in one piece give the same
 * frames, re-encoding to the bytes consumed. Runs its stored inputs as a plain test; fuzzes with
 * {@code JAZZER_FUZZ=1}.
 */
class FrameDecoderFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void decodesOrRejects(FuzzedDataProvider data) {
    List<byte[]> chunks = new ArrayList<>();
    int n = data.consumeInt(1, 8);
    for (int i = 0; i < n - 1; i++) {
      chunks.add(data.consumeBytes(data.consumeInt(0, 4096)));
    }
    chunks.add(data.consumeRemainingAsBytes());
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    chunks.forEach(whole::writeBytes);

    List<Frame> chunked = decode(chunks);
    List<Frame> once = decode(List.of(whole.toByteArray()));
    Assertions.assertEquals(once == null, chunked == null, "chunking changed whether the input is valid");
    if (once == null) {
      return;
    }
    Assertions.assertEquals(once, chunked);
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    for (Frame f : once) {
      Assertions.assertNotNull(FrameType.of(f.type().code()));
      Assertions.assertTrue(f.payload().length <= Frame.MAX_PAYLOAD);
      again.writeBytes(f.encode());
    }
    byte[] in = whole.toByteArray();
    byte[] out = again.toByteArray();
    Assertions.assertTrue(out.length <= in.length);
    Assertions.assertArrayEquals(java.util.Arrays.copyOf(in, out.length), out);
  }

  /** The frames, or null when the decoder rejected the input. */
  private static List<Frame> decode(List<byte[]> chunks) {
    FrameDecoder d = new FrameDecoder();
    List<Frame> frames = new ArrayList<>();
    try {
      for (byte[] c : chunks) {
        frames.addAll(d.feed(c));
      }
      return frames;
    } catch (FrameException e) {
      return null;
    }
  }
}
