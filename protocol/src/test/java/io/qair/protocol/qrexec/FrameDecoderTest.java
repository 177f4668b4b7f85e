package io.qair.protocol.qrexec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  @Test
  void decodesLiteralWireBytes() {
    byte[] wire = {1, 0, 0, 0, 2, 'h', 'i', 3, 0, 0, 0, 4, 0, 0, 0, 42};
    List<Frame> frames = new FrameDecoder().feed(wire);
    assertThat(frames).containsExactly(
        new Frame(FrameType.STDOUT, "hi".getBytes(StandardCharsets.US_ASCII)), Frame.exit(42));
    assertThat(frames.get(1).exitCode()).isEqualTo(42);
  }

  @Test
  void encodesToTheSameLiteralBytes() {
    assertThat(new Frame(FrameType.STDERR, new byte[] {'x'}).encode()).containsExactly(2, 0, 0, 0, 1, 'x');
    assertThat(Frame.eof(FrameType.STDIN).encode()).containsExactly(0, 0, 0, 0, 0);
    assertThat(Frame.exit(126).encode()).containsExactly(3, 0, 0, 0, 4, 0, 0, 0, 126);
  }

  @Test
  void emptyStreamFrameIsEof() {
    assertThat(Frame.eof(FrameType.STDOUT).isEof()).isTrue();
    assertThat(new Frame(FrameType.EXIT, new byte[0]).isEof()).isFalse();
  }

  @Test
  void reassemblesFramesSplitAtEveryByte() {
    byte[] a = new Frame(FrameType.STDIN, "hello".getBytes(StandardCharsets.UTF_8)).encode();
    byte[] b = Frame.eof(FrameType.STDIN).encode();
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    FrameDecoder d = new FrameDecoder();
    List<Frame> out = new ArrayList<>();
    for (byte x : all) {
      out.addAll(d.feed(new byte[] {x}));
    }
    assertThat(out).containsExactly(new Frame(FrameType.STDIN, "hello".getBytes(StandardCharsets.UTF_8)),
        Frame.eof(FrameType.STDIN));
    assertThat(d.atBoundary()).isTrue();
  }

  @Test
  void randomChunkingRoundTrips() {
    Random r = new Random(7);
    List<Frame> sent = new ArrayList<>();
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 200; i++) {
      byte[] p = new byte[r.nextInt(3000)];
      r.nextBytes(p);
      Frame f = new Frame(FrameType.values()[r.nextInt(3)], p);
      sent.add(f);
      wire.writeBytes(f.encode());
    }
    byte[] all = wire.toByteArray();
    FrameDecoder d = new FrameDecoder();
    List<Frame> got = new ArrayList<>();
    int i = 0;
    while (i < all.length) {
      int n = Math.min(all.length - i, 1 + r.nextInt(5000));
      got.addAll(d.feed(all, i, n));
      i += n;
    }
    assertThat(got).isEqualTo(sent);
  }

  @Test
  void rejectsOversizedLengthBeforeReadingPayload() {
    byte[] header = {1, 0, 1, 0, 1}; // 65537 bytes announced
    assertThatThrownBy(() -> new FrameDecoder().feed(header))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("65537 bytes exceeds the limit of 65536");
    byte[] huge = {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> new FrameDecoder().feed(huge)).isInstanceOf(FrameException.class);
  }

  @Test
  void rejectsUnknownType() {
    assertThatThrownBy(() -> new FrameDecoder().feed(new byte[] {9, 0, 0, 0, 0}))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("unknown frame type 9");
  }

  @Test
  void partialFrameIsNotABoundary() {
    FrameDecoder d = new FrameDecoder();
    assertThat(d.feed(new byte[] {1, 0, 0, 0, 3, 'a'})).isEmpty();
    assertThat(d.atBoundary()).isFalse();
  }

  @Test
  void exitFrameWithWrongLengthIsRejected() {
    assertThatThrownBy(() -> new Frame(FrameType.EXIT, new byte[] {1}).exitCode())
        .isInstanceOf(FrameException.class);
  }

  @Test
  void execPayloadLayout() {
    byte[] p = FrameDecoder.execPayload(5, List.of("sh", "-c"), List.of("A=b"));
    assertThat(p).containsExactly(0, 0, 0, 5, 0, 0, 0, 2, 's', 'h', 0, '-', 'c', 0, 'A', '=', 'b', 0);
    assertThatThrownBy(() -> FrameDecoder.execPayload(1, List.of("a\0b"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
