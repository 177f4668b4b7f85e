package io.qair.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameType;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's side of the guest protocol, against a guest written in the test. */
class GuestSessionTest {
  private Path dir;
  private Path socket;
  private GuestSession session;
  private final AtomicInteger lost = new AtomicInteger();

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory(Path.of("/tmp"), "gs");
    socket = dir.resolve("agent.sock");
    int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    session = GuestSession.listen("test", socket, me, lost::incrementAndGet, (src, req, ch) -> { });
  }

  @AfterEach
  void tearDown() throws IOException {
    session.close();
    Files.deleteIfExists(socket);
    Files.deleteIfExists(dir);
  }

  private SocketChannel connect() throws IOException {
    return SocketChannel.open(UnixDomainSocketAddress.of(socket));
  }

  private static void send(SocketChannel c, Frame f) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(f.encode());
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  private static void sendRaw(SocketChannel c, String hex) throws IOException {
    c.write(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
  }

  private static boolean closedByPeer(SocketChannel c) throws IOException {
    return c.read(ByteBuffer.allocate(16)) < 0;
  }

  @Test
  void execPayloadIsEncodedAndValidated() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "b");
    assertThat(HexFormat.of().formatHex(GuestSession.execPayload(7, new ExecRequest(List.of("ls", "-l"), env))))
        .isEqualTo("00000007" + "00000002" + "6c7300" + "2d6c00" + "413d6200");
    for (ExecRequest bad : List.of(new ExecRequest(List.of(), Map.of()), new ExecRequest(List.of(""), Map.of()),
        new ExecRequest(List.of("a\0b"), Map.of()), new ExecRequest(List.of("x"), Map.of("A=B", "c")),
        new ExecRequest(List.of("x".repeat(70_000)), Map.of()), new ExecRequest(List.of("x"), Map.of(), "admin"),
        new ExecRequest(List.of("x"), Map.of(), "0"))) {
      assertThatThrownBy(() -> GuestSession.execPayload(1, bad))
          .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
    }
  }

  @Test
  void commandRunsOverItsOwnDataConnection() throws Exception {
    try (SocketChannel control = connect()) {
      send(control, new Frame(FrameType.HELLO, "fake 1".getBytes()));
      assertThat(session.awaitHello(5000)).isTrue();
      List<Frame> stdin = new ArrayList<>();
      Thread guest = new Thread(() -> {
        try {
          FrameReader r = new FrameReader(java.nio.channels.Channels.newInputStream(control));
          Frame exec = r.next().orElseThrow();
          int id = ByteBuffer.wrap(exec.payload()).getInt();
          try (SocketChannel data = connect()) {
            send(data, new Frame(FrameType.DATA_HELLO, ByteBuffer.allocate(4).putInt(id).array()));
            FrameReader dr = new FrameReader(java.nio.channels.Channels.newInputStream(data));
            for (Frame f = dr.next().orElseThrow(); !f.isEof(); f = dr.next().orElseThrow()) {
              stdin.add(f);
            }
            send(data, new Frame(FrameType.STDOUT, "hi".getBytes()));
            send(data, Frame.eof(FrameType.STDOUT));
            send(data, new Frame(FrameType.STDERR, "oops".getBytes()));
            send(data, Frame.eof(FrameType.STDERR));
            send(data, Frame.exit(5));
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      guest.start();
      RecordingListener l = new RecordingListener();
      GuestExec h = session.exec(new ExecRequest(List.of("cat"), Map.of()), l, 5000);
      h.stdin("abc".getBytes());
      h.closeStdin();
      assertThat(l.exitCode()).isEqualTo(5);
      assertThat(l.stdout()).isEqualTo("hi");
      assertThat(l.stderr()).isEqualTo("oops");
      assertThat(l.events).containsExactly("eof-stdout", "eof-stderr", "exit");
      assertThat(stdin).containsExactly(new Frame(FrameType.STDIN, "abc".getBytes()));
      guest.join();
    }
  }

  @Test
  void rootCommandIsSentAsExecRootAndUserCommandAsExec() throws Exception {
    try (SocketChannel control = connect()) {
      send(control, new Frame(FrameType.HELLO, "fake 1".getBytes()));
      assertThat(session.awaitHello(5000)).isTrue();
      List<FrameType> types = new ArrayList<>();
      Thread guest = new Thread(() -> {
        try {
          FrameReader r = new FrameReader(java.nio.channels.Channels.newInputStream(control));
          for (int i = 0; i < 3; i++) {
            Frame exec = r.next().orElseThrow();
            types.add(exec.type());
            try (SocketChannel data = connect()) {
              send(data, new Frame(FrameType.DATA_HELLO, java.util.Arrays.copyOf(exec.payload(), 4)));
              send(data, Frame.exit(0));
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      guest.start();
      for (String user : java.util.Arrays.asList(ExecRequest.ROOT, ExecRequest.USER, null)) {
        RecordingListener l = new RecordingListener();
        session.exec(new ExecRequest(List.of("id"), Map.of(), user), l, 5000).closeStdin();
        assertThat(l.exitCode()).isZero();
      }
      guest.join();
      assertThat(types).containsExactly(FrameType.EXEC_ROOT, FrameType.EXEC, FrameType.EXEC);
    }
  }

  @Test
  void brokenCommandStreamReportsKilled() throws Exception {
    try (SocketChannel control = connect()) {
      send(control, new Frame(FrameType.HELLO, "fake 1".getBytes()));
      assertThat(session.awaitHello(5000)).isTrue();
      RecordingListener l = new RecordingListener();
      Thread guest = new Thread(() -> {
        try {
          FrameReader r = new FrameReader(java.nio.channels.Channels.newInputStream(control));
          int id = ByteBuffer.wrap(r.next().orElseThrow().payload()).getInt();
          try (SocketChannel data = connect()) {
            send(data, new Frame(FrameType.DATA_HELLO, ByteBuffer.allocate(4).putInt(id).array()));
            send(data, new Frame(FrameType.STDOUT, "partial".getBytes()));
            while (l.stdout().isEmpty()) {
              Thread.onSpinWait();
            }
            sendRaw(data, "01ffffffff"); // a hostile length
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      guest.start();
      session.exec(new ExecRequest(List.of("x"), Map.of()), l, 5000);
      assertThat(l.exitCode()).isEqualTo(GuestExec.KILLED);
      assertThat(l.stdout()).isEqualTo("partial");
      guest.join();
    }
  }

  @Test
  void hostileConnectionsAreClosedAndBounded() throws Exception {
    try (SocketChannel garbage = connect(); SocketChannel huge = connect(); SocketChannel stranger = connect()) {
      sendRaw(garbage, "9900000000");
      sendRaw(huge, "20ffffffff");
      send(stranger, new Frame(FrameType.DATA_HELLO, ByteBuffer.allocate(4).putInt(424242).array()));
      assertThat(closedByPeer(garbage)).isTrue();
      assertThat(closedByPeer(huge)).isTrue();
      assertThat(closedByPeer(stranger)).as("a data connection nobody asked for").isTrue();
    }
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < GuestListener.MAX_HANDSHAKES; i++) {
        idle.add(connect());
      }
      Thread.sleep(200);
      try (SocketChannel extra = connect()) {
        assertThat(closedByPeer(extra)).as("over the handshake limit").isTrue();
      }
    } finally {
      for (SocketChannel c : idle) {
        c.close();
      }
    }
    assertThat(session.connected()).isFalse();
  }

  @Test
  void execWithoutAGuestTimesOut() {
    assertThatThrownBy(() -> session.exec(new ExecRequest(List.of("true"), Map.of()), new RecordingListener(), 100))
        .isInstanceOfSatisfying(QairException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
  }
}
