package io.qair.agent.display.x11;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/** A scripted X server on a unix socket: accepts one client and runs the script against it. */
final class FakeXServer implements AutoCloseable {
  interface Script {
    void run(FakeXServer server) throws Exception;
  }

  private final ServerSocketChannel listener;
  private final Path socket;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private SocketChannel client;
  private int lastWords;

  private FakeXServer(Path socket) throws IOException {
    this.socket = socket;
    this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
  }

  static FakeXServer start(Path dir, Script script) throws IOException {
    FakeXServer s = new FakeXServer(dir.resolve("X0"));
    Thread t = new Thread(() -> {
      try {
        s.client = s.listener.accept();
        script.run(s);
        s.done.complete(null);
      } catch (Exception e) {
        s.done.completeExceptionally(e);
      }
    }, "fake-x-server");
    t.setDaemon(true);
    t.start();
    return s;
  }

  Path socket() {
    return socket;
  }

  /** Reads the client's opening (12 bytes + padded name and data); returns it as hex. */
  String readOpening() throws IOException {
    byte[] head = read(12);
    int name = (head[6] & 0xff) | (head[7] & 0xff) << 8;
    int data = (head[8] & 0xff) | (head[9] & 0xff) << 8;
    return HexFormat.of().formatHex(head) + HexFormat.of().formatHex(read(X11Setup.pad4(name) + X11Setup.pad4(data)));
  }

  /** The length in words of the last 4-byte request header read with {@code read(4)}. */
  int lastWords() {
    return lastWords;
  }

  byte[] read(int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (client.read(b) < 0) {
        throw new EOFException("client closed");
      }
    }
    if (n == 4) {
      lastWords = (b.get(2) & 0xff) | (b.get(3) & 0xff) << 8;
    }
    return b.array();
  }

  void send(String hex) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    while (b.hasRemaining()) {
      client.write(b);
    }
  }

  /** Blocks until the client closes its end (or a read fails). */
  void awaitClientClose() {
    try {
      ByteBuffer b = ByteBuffer.allocate(4096);
      while (client.read(b) >= 0) {
        b.clear();
      }
    } catch (IOException e) {
      // closed
    }
  }

  CompletableFuture<Void> done() {
    return done;
  }

  @Override
  public void close() throws IOException {
    if (client != null) {
      client.close();
    }
    listener.close();
  }
}
