package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class X11ConnectionTest {
  /** For the tests of the timeout itself; the others wait long (the machine may be slow). */
  private static final Duration SHORT = Duration.ofMillis(1000);
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final String MAP_REQUEST = "14000000" + "19050000" + "0c002000" + "00".repeat(20);

  @TempDir Path dir;

  /** A GetInputFocus reply for sequence {@code seq}. */
  private static String focusReply(int seq) {
    return String.format("0101%02x%02x", seq & 0xff, seq >> 8) + "00000000" + "01000000" + "00".repeat(20);
  }

  /** A server that completes the setup, reads {@code requestBytes} and answers {@code hex}. */
  private FakeXServer answeringSync(int requestBytes, String hex) throws Exception {
    return FakeXServer.start(dir, s -> {
      s.readOpening();
      s.send(X11SetupTest.OK);
      s.read(requestBytes);
      s.send(hex);
      s.awaitClientClose();
    });
  }

  @Test
  void sendsTheCookieAndMatchesRepliesWhileQueueingEvents() throws Exception {
    byte[] cookie = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    try (FakeXServer server = FakeXServer.start(dir, s -> {
      assertThat(s.readOpening()).isEqualTo("6c000b00000012001000" + "0000" + "4d49542d4d414749432d434f4f4b49452d31"
          + "0000" + "00112233445566778899aabbccddeeff");
      s.send(X11SetupTest.OK);
      assertThat(HexFormat.of().formatHex(s.read(4))).isEqualTo("2b000100");
      s.send(MAP_REQUEST + focusReply(1));
      s.awaitClientClose();
    }); X11Connection c = X11Connection.open(server.socket(), cookie, LONG)) {
      assertThat(c.setup().root()).isEqualTo(0x519);
      assertThat(c.newId()).isEqualTo(0x200001);
      c.sync();
      ByteBuffer event = c.nextEvent();
      assertThat(X11Event.decode(event)).isEqualTo(new X11Event.MapRequest(false, 0x519, 0x20000c));
    }
  }

  @Test
  void reportsTheServersRefusal() throws Exception {
    try (FakeXServer server = FakeXServer.start(dir, s -> {
      s.readOpening();
      s.send("003f0b0000001000" + X11SetupTest.hexOf("Authorization required, but no authorization protocol specified") + "00");
    })) {
      assertThatThrownBy(() -> X11Connection.open(server.socket(), null, LONG)).isExactlyInstanceOf(X11Exception.class)
          .hasMessageContaining("refused the connection: \"Authorization required, but no authorization protocol specified\"");
    }
  }

  @Test
  void neverWaitsForeverForTheSetupOrAReply() throws Exception {
    try (FakeXServer server = FakeXServer.start(dir, s -> {
      s.readOpening();
      s.send(X11SetupTest.OK.substring(0, 40)); // a setup cut short, then silence
      s.awaitClientClose();
    })) {
      assertThatThrownBy(() -> X11Connection.open(server.socket(), null, SHORT))
          .hasMessageContaining("did not answer within 1000 ms");
    }
  }

  @Test
  void timesOutAnEventCutShortEvenWhileWaitingForEventsWithoutDeadline() throws Exception {
    try (FakeXServer server = FakeXServer.start(dir, s -> {
      s.readOpening();
      s.send(X11SetupTest.OK + MAP_REQUEST.substring(0, 20));
      s.awaitClientClose();
    }); X11Connection c = X11Connection.open(server.socket(), null, SHORT)) {
      assertThatThrownBy(c::nextEvent).hasMessageContaining("did not answer within 1000 ms");
    }
  }

  @Test
  void refusesAnOversizedReplyAtItsHeader() throws Exception {
    // 16 GiB announced, none sent
    try (FakeXServer server = answeringSync(4, "01000100" + "ffffffff" + "00".repeat(24)); X11Connection c = X11Connection.open(server.socket(), null, Duration.ofMinutes(1))) {
      assertThatThrownBy(c::sync).isInstanceOf(X11ProtocolException.class)
          .hasMessageContaining("a reply of 17179869212 bytes exceeds the limit of 262144");
    }
  }

  @Test
  void refusesAReplyNobodyAskedForAndAnEndInsideAMessage() throws Exception {
    try (FakeXServer server = answeringSync(4, focusReply(7)); X11Connection c = X11Connection.open(server.socket(), null, LONG)) {
      assertThatThrownBy(c::sync).isInstanceOf(X11ProtocolException.class)
          .hasMessageContaining("a reply (sequence 7) to no request that awaits one");
    }
    try (FakeXServer server = FakeXServer.start(Files.createDirectory(dir.resolve("second")), s -> {
      s.readOpening();
      s.send(X11SetupTest.OK + MAP_REQUEST.substring(0, 20));
      s.close();
    })) {
      assertThatThrownBy(() -> {
        try (X11Connection c = X11Connection.open(server.socket(), null, LONG)) {
          c.nextEvent();
        }
      }).hasMessageContaining("closed the connection inside a message");
    }
  }

  @Test
  void boundsTheEventsQueuedWhileAReplyIsAwaited() throws Exception {
    try (FakeXServer server = answeringSync(4, MAP_REQUEST.repeat(X11Connection.MAX_QUEUED_EVENTS + 1));
        X11Connection c = X11Connection.open(server.socket(), null, Duration.ofMinutes(1))) {
      assertThatThrownBy(c::sync).isInstanceOf(X11ProtocolException.class)
          .hasMessageContaining("more than 16384 events while one reply was awaited");
    }
  }

  @Test
  void errorsForRequestsWithoutReplyAreKeptWithTheirFullSequence() throws Exception {
    // MapWindow, GetInputFocus
    try (FakeXServer server = answeringSync(8 + 4, "000a0100" + "0c002000" + "0000" + "08" + "00".repeat(21)
        + focusReply(2)); X11Connection c = X11Connection.open(server.socket(), null, LONG)) {
      c.send(X11Requests.mapWindow(0x20000c), false);
      c.sync();
      assertThat(c.drainErrors()).containsExactly(new X11Error(X11Error.BAD_ACCESS, 1, 0x20000c, 8, 0));
      assertThat(c.drainErrors()).isEmpty();
    }
  }
}
