package io.qair.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameException;
import io.qair.protocol.qrexec.FrameType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  /** Hands out one byte per read, the worst a socket can do. */
  private static InputStream trickle(String hex) {
    ByteArrayInputStream in = new ByteArrayInputStream(HexFormat.of().parseHex(hex));
    return new InputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return len == 0 ? 0 : in.read(b, off, 1);
      }
    };
  }

  @Test
  void readsFramesSplitAcrossReadsAndEndsCleanly() throws Exception {
    FrameReader r = new FrameReader(trickle("2000000003" + "716731" + "0100000000" + "0300000004" + "00000005"));
    assertThat(r.next()).contains(new Frame(FrameType.HELLO, "qg1".getBytes()));
    assertThat(r.next()).contains(Frame.eof(FrameType.STDOUT));
    assertThat(r.next().orElseThrow().exitCode()).isEqualTo(5);
    assertThat(r.next()).isEmpty();
  }

  @Test
  void rejectsTruncatedUnknownAndOversizedFrames() {
    assertThatThrownBy(() -> new FrameReader(trickle("01000000056869")).next())
        .isInstanceOf(FrameException.class).hasMessageContaining("ended inside a frame");
    assertThatThrownBy(() -> new FrameReader(trickle("9900000000")).next())
        .isInstanceOf(FrameException.class).hasMessageContaining("unknown frame type 153");
    // the length is refused at the header: the 4 GB payload is never waited for
    assertThatThrownBy(() -> new FrameReader(trickle("01ffffffff")).next())
        .isInstanceOf(FrameException.class).hasMessageContaining("exceeds the limit");
    assertThatThrownBy(() -> new FrameReader(trickle("0100010001")).next())
        .isInstanceOf(FrameException.class).hasMessageContaining("65537");
  }
}
