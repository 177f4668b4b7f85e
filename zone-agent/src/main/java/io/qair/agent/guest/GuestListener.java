package io.qair.agent.guest;

import io.qair.protocol.QairException;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameType;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's listening socket for one qube. The first frame of every connection says what it is:
 * HELLO opens the control connection, DATA_HELLO(id) carries one command, CALL is a qrexec call
 * the qube makes. A connection that does
 * not say so within {@link #HANDSHAKE_MILLIS}, or says anything else, is closed; at most
 * {@link #MAX_HANDSHAKES} may be pending at once, so a hostile qube cannot exhaust threads.
 */
public final class GuestListener implements AutoCloseable {
  static final long HANDSHAKE_MILLIS = 5000;
  static final int MAX_HANDSHAKES = 32;
  private static final Logger LOG = LoggerFactory.getLogger(GuestListener.class);
  private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "guest-handshake-timer");
    t.setDaemon(true);
    return t;
  });

  /** What the listener found on a connection. */
  public interface Handler {
    void onControl(GuestConnection connection, String version);

    void onData(int id, GuestConnection connection);

    /** A qrexec call from the qube ({@code qrexec-client-vm}); runs on this connection's own thread. */
    void onCall(byte[] untrustedRequest, GuestConnection connection);
  }

  private final String qube;
  private final ServerSocketChannel server;
  private final Handler handler;
  private final Semaphore handshakes = new Semaphore(MAX_HANDSHAKES);
  private volatile boolean closed;

  private GuestListener(String qube, ServerSocketChannel server, Handler handler) {
    this.qube = qube;
    this.server = server;
    this.handler = handler;
  }

  /**
   * Binds {@code socket} (replacing a stale socket file, never following a symlink), gives it to
   * {@code ownerUid} with mode 0600 and starts accepting. The parent directory must be the agent's.
   */
  public static GuestListener open(String qube, Path socket, int ownerUid, Handler handler) {
    try {
      Files.deleteIfExists(socket); // removes a link itself, never its target
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      // lchown, then chmod: the path was just bound by us in a directory only the agent writes
      Files.setAttribute(socket, "unix:uid", ownerUid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(socket, "unix:gid", ownerUid, LinkOption.NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      GuestListener l = new GuestListener(qube, server, handler);
      Thread t = new Thread(l::acceptLoop, "guest-accept-" + qube);
      t.setDaemon(true);
      t.start();
      return l;
    } catch (IOException e) {
      throw QairException.unavailable("cannot listen on " + socket + " for qube " + qube + ": " + e.getMessage(), e);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("qube {}: accept failed: {}", qube, e.toString());
        }
        return;
      }
      if (!handshakes.tryAcquire()) {
        close(ch);
        continue;
      }
      Thread t = new Thread(() -> handshake(ch), "guest-handshake-" + qube);
      t.setDaemon(true);
      t.start();
    }
  }

  private void handshake(SocketChannel ch) {
    GuestConnection c = new GuestConnection(ch);
    ScheduledFuture<?> timeout = TIMERS.schedule(c::close, HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS);
    Optional<Frame> first = Optional.empty();
    try {
      first = c.read();
    } catch (IOException | RuntimeException e) {
      LOG.debug("qube {}: bad connection: {}", qube, e.toString());
    } finally {
      timeout.cancel(false);
      handshakes.release();
    }
    if (first.isPresent() && first.get().type() == FrameType.HELLO) {
      handler.onControl(c, first.get().text());
    } else if (first.isPresent() && first.get().type() == FrameType.DATA_HELLO
        && first.get().payload().length == 4) {
      handler.onData(ByteBuffer.wrap(first.get().payload()).getInt(), c);
    } else if (first.isPresent() && first.get().type() == FrameType.CALL) {
      handler.onCall(first.get().payload(), c);
    } else {
      LOG.debug("qube {}: connection without a valid first frame", qube);
      c.close();
    }
  }

  private static void close(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
