package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager against a scripted X server that turns hostile once the manager runs. */
class WindowManagerHostileServerTest {
  private static final int WINDOW = 0x20000c;

  @TempDir Path dir;

  /** What the fake server answers to one request; null for none. */
  interface Answer {
    String to(int opcode, int seq, ByteBuffer request);
  }

  /** Answers the manager's start-up honestly (atoms, sync, an empty tree), then sends {@code after}. */
  private FakeXServer server(String after, Answer hostile) throws Exception {
    return FakeXServer.start(dir, s -> {
      s.readOpening();
      s.send(X11SetupTest.OK);
      boolean running = false;
      for (int seq = 1; ; seq++) {
        byte[] head = s.read(4);
        int opcode = head[0] & 0xff;
        int words = (head[2] & 0xff) | (head[3] & 0xff) << 8;
        ByteBuffer request = ByteBuffer.allocate(words * 4).order(ByteOrder.LITTLE_ENDIAN)
            .put(head).put(s.read(words * 4 - 4)).flip();
        String answer = switch (opcode) {
          case 16 -> reply(seq, "00000000" + hex32(100 + seq) + "00".repeat(20));
          case 43 -> reply(seq, "00000000" + "01000000" + "00".repeat(20));
          case 15 -> reply(seq, "00000000" + "19050000" + "00000000" + "0000" + "00".repeat(14));
          default -> running ? hostile.to(opcode, seq, request) : null;
        };
        if (answer != null) {
          s.send(answer);
        }
        if (opcode == 15) {
          running = true;
          s.send(after);
        }
      }
    });
  }

  @Test
  void closesOnAPropertyLongerThanAskedFor() throws Exception {
    RecordingWindowListener listener = new RecordingWindowListener();
    String mapRequest = "14000000" + "19050000" + hex32(WINDOW) + "00".repeat(20);
    Answer answer = (opcode, seq, request) -> switch (opcode) {
      case 14 -> "0118" + seq16(seq) + "00000000" + "19050000" + "0000" + "0000" + "2003" + "5802" + "0000"
          + "00".repeat(10);
      // GetProperty: 20,000 bytes of name whatever long-length said
      case 20 -> "0108" + seq16(seq) + hex32(5000) + "1f000000" + "00000000" + hex32(20_000) + "00".repeat(12)
          + "41".repeat(20_000);
      default -> null;
    };
    try (FakeXServer server = server(mapRequest, answer);
        WindowManager wm = X11WindowManager.start(server.socket(), null, listener, Duration.ofSeconds(30))) {
      Throwable cause = listener.closed.get(30, TimeUnit.SECONDS);
      assertThat(cause).isInstanceOf(X11ProtocolException.class)
          .hasMessageContaining("GetProperty: 20000 bytes where at most 16384 were asked for");
      assertThat(wm.windows()).isEmpty();
    }
  }

  @Test
  void closesWhenTheServerStopsAnswering() throws Exception {
    RecordingWindowListener listener = new RecordingWindowListener();
    String mapRequest = "14000000" + "19050000" + hex32(WINDOW) + "00".repeat(20);
    try (FakeXServer server = server(mapRequest, (opcode, seq, request) -> null);
        WindowManager wm = X11WindowManager.start(server.socket(), null, listener, Duration.ofSeconds(1))) {
      assertThat(listener.closed.get(30, TimeUnit.SECONDS)).isInstanceOf(X11Exception.class)
          .hasMessageContaining("did not answer within 1000 ms");
    }
  }

  @Test
  void refusesToStartWhenAnotherManagerHoldsTheRedirect() throws Exception {
    try (FakeXServer server = FakeXServer.start(dir, s -> {
      s.readOpening();
      s.send(X11SetupTest.OK);
      for (int seq = 1; seq <= 9; seq++) {
        s.read(4);
        s.read(s.lastWords() * 4 - 4);
        s.send(reply(seq, "00000000" + hex32(100 + seq) + "00".repeat(20)));
      }
      s.read(16 + 4); // ChangeWindowAttributes, GetInputFocus
      s.send("000a" + seq16(10) + "19050000" + "0000" + "02" + "00".repeat(21) + reply(11, "00".repeat(28)));
      s.awaitClientClose();
    })) {
      assertThatThrownBy(() -> X11WindowManager.start(server.socket(), null, new RecordingWindowListener(),
          Duration.ofSeconds(30))).isExactlyInstanceOf(X11Exception.class)
          .hasMessageContaining("another window manager already runs on the X display at " + server.socket());
    }
  }

  private static String reply(int seq, String rest) {
    return "0100" + seq16(seq) + rest;
  }

  private static String seq16(int seq) {
    return HexFormat.of().formatHex(new byte[] {(byte) seq, (byte) (seq >> 8)});
  }

  private static String hex32(int v) {
    return HexFormat.of().formatHex(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
  }
}
