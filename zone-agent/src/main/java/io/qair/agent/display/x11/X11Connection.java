package io.qair.agent.display.x11;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One X11 client connection over a unix socket: setup, request sequence numbers, replies, errors and
 * events. Not thread-safe: one thread owns it (the window manager's event thread); only
 * {@link #wakeup()} and {@link #close()} may be called from others.
 *
 * <p>The server is untrusted. Its messages are bounded ({@link #MAX_MESSAGE_BYTES}), a reply must
 * answer a request that is waiting for one, events queued while a reply is awaited are bounded, and
 * every wait has a deadline: the setup and each reply within the timeout, and a message, once its
 * first byte came, must be complete within the timeout too. Anything else closes the connection
 * with an {@link X11Exception}.
 */
final class X11Connection implements AutoCloseable {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** The largest reply or generic event accepted, header included. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024;
  static final int MAX_QUEUED_EVENTS = 16_384;
  private static final int MAX_QUEUED_ERRORS = 1024;
  private static final long NO_DEADLINE = Long.MIN_VALUE;
  private static final ByteBuffer ERROR = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final long timeoutNanos;
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN).flip();
  private final ArrayDeque<ByteBuffer> events = new ArrayDeque<>();
  private final ArrayDeque<X11Error> errors = new ArrayDeque<>();
  private final Map<Integer, ByteBuffer> replies = new HashMap<>();
  private final Set<Integer> pending = new HashSet<>();
  private X11Setup setup;
  private int sequence;
  private int nextId;

  private X11Connection(SocketChannel channel, Selector selector, Duration timeout) throws IOException {
    this.channel = channel;
    this.selector = selector;
    this.timeoutNanos = timeout.toNanos();
    this.key = channel.register(selector, 0);
  }

  /** Connects and completes the setup within {@code timeout}. */
  static X11Connection open(Path socket, byte[] cookieOrNull, Duration timeout) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    X11Connection c = null;
    try {
      channel.configureBlocking(false);
      c = new X11Connection(channel, Selector.open(), timeout);
      c.handshake(UnixDomainSocketAddress.of(socket), cookieOrNull);
      return c;
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.close();
      } else {
        channel.close();
      }
      if (e instanceof X11Exception || e instanceof RuntimeException) {
        throw e;
      }
      throw new X11Exception("cannot connect to the X server at " + socket + ": " + e.getMessage()
          + " (is the qube's Xvnc running?)", e);
    }
  }

  private void handshake(UnixDomainSocketAddress address, byte[] cookieOrNull) throws IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    if (!channel.connect(address)) {
      while (!channel.finishConnect()) {
        await(SelectionKey.OP_CONNECT, deadline);
      }
    }
    write(X11Setup.request(cookieOrNull), deadline);
    ByteBuffer header = ByteBuffer.allocate(X11Setup.HEADER_BYTES);
    readInto(header, deadline);
    ByteBuffer body = ByteBuffer.allocate(X11Setup.bodyLength(header.flip()));
    readInto(body, deadline);
    setup = X11Setup.parse(header, body.flip());
  }

  X11Setup setup() {
    return setup;
  }

  /** A fresh resource id from the range the server gave this client. */
  int newId() throws X11Exception {
    int mask = setup.resourceIdMask();
    int shift = Integer.numberOfTrailingZeros(mask);
    int id = (++nextId << shift) & mask;
    if (id >>> shift != nextId) {
      throw new X11Exception("this X connection ran out of resource ids");
    }
    return setup.resourceIdBase() | id;
  }

  /** Sends one request; returns its sequence number. */
  int send(ByteBuffer request, boolean expectsReply) throws IOException {
    if (request.remaining() > setup.maxRequestBytes()) {
      throw new IllegalArgumentException("request of " + request.remaining() + " bytes exceeds the server's maximum");
    }
    write(request, System.nanoTime() + timeoutNanos);
    sequence++;
    if (expectsReply) {
      pending.add(sequence);
    }
    return sequence;
  }

  /** Sends a request that has a reply and waits for it; null if the server answered with an error. */
  ByteBuffer roundTrip(ByteBuffer request) throws IOException {
    return awaitReply(send(request, true));
  }

  /** Waits until the server has processed every request sent so far. */
  void sync() throws IOException {
    roundTrip(X11Requests.getInputFocus());
  }

  /**
   * The reply to request {@code seq} (sent with {@code expectsReply}); null if the server answered
   * with an error. Events that arrive meanwhile are queued for {@link #nextEvent}.
   */
  ByteBuffer awaitReply(int seq) throws IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!replies.containsKey(seq)) {
      if (!pending.contains(seq)) {
        throw new IllegalStateException("request " + seq + " expects no reply or was already answered");
      }
      ByteBuffer event = route(readMessage(deadline, false));
      if (event != null) {
        if (events.size() >= MAX_QUEUED_EVENTS) {
          throw new X11ProtocolException("more than " + MAX_QUEUED_EVENTS + " events while one reply was awaited");
        }
        events.add(event);
      }
    }
    ByteBuffer reply = replies.remove(seq);
    return reply == ERROR ? null : reply;
  }

  /**
   * The next event (32 bytes, or more for a generic event): queued ones first, then from the socket,
   * waiting as long as it takes. Null when {@link #wakeup()} (or a spurious wake-up) interrupted the
   * wait with nothing read.
   */
  ByteBuffer nextEvent() throws IOException {
    ByteBuffer queued = events.poll();
    if (queued != null) {
      return queued;
    }
    while (true) {
      ByteBuffer m = readMessage(NO_DEADLINE, true);
      if (m == null) {
        return null;
      }
      ByteBuffer event = route(m);
      if (event != null) {
        return event;
      }
    }
  }

  /** Errors for requests that expected no reply, oldest first (at most 1024 kept). */
  List<X11Error> drainErrors() {
    List<X11Error> out = new ArrayList<>(errors);
    errors.clear();
    return out;
  }

  /** Makes a waiting {@link #nextEvent()} return; any thread. */
  void wakeup() {
    selector.wakeup();
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Files replies and errors; returns the message if it is an event. */
  private ByteBuffer route(ByteBuffer m) throws X11ProtocolException {
    int type = Byte.toUnsignedInt(m.get(0));
    int seq16 = Short.toUnsignedInt(m.getShort(2));
    if (type == 1) {
      Integer seq = pendingWith(seq16);
      if (seq == null) {
        throw new X11ProtocolException("a reply (sequence " + seq16 + ") to no request that awaits one");
      }
      pending.remove(seq);
      replies.put(seq, m);
      return null;
    }
    if (type == 0) {
      Integer seq = pendingWith(seq16);
      if (seq != null) {
        pending.remove(seq);
        replies.put(seq, ERROR);
      } else {
        if (errors.size() >= MAX_QUEUED_ERRORS) {
          errors.poll();
        }
        errors.add(X11Error.decode(m, sequence - ((sequence - seq16) & 0xffff)));
      }
      return null;
    }
    return m;
  }

  private Integer pendingWith(int seq16) {
    Integer best = null;
    for (Integer p : pending) {
      if ((p & 0xffff) == seq16 && (best == null || p < best)) {
        best = p;
      }
    }
    return best;
  }

  private ByteBuffer readMessage(long deadline, boolean wakeable) throws IOException {
    if (!fill(32, deadline, wakeable)) {
      return null;
    }
    int type = Byte.toUnsignedInt(in.get(in.position()));
    long extra = 0;
    if (type == 1 || (type & 0x7f) == X11Event.GENERIC_EVENT) {
      extra = Integer.toUnsignedLong(in.getInt(in.position() + 4)) * 4;
      if (extra > MAX_MESSAGE_BYTES - 32) {
        throw new X11ProtocolException((type == 1 ? "a reply" : "a generic event") + " of " + (32 + extra)
            + " bytes exceeds the limit of " + MAX_MESSAGE_BYTES);
      }
    }
    ByteBuffer m = ByteBuffer.allocate((int) (32 + extra)).order(ByteOrder.LITTLE_ENDIAN);
    readInto(m, deadline == NO_DEADLINE ? System.nanoTime() + timeoutNanos : deadline);
    return m.flip();
  }

  private void readInto(ByteBuffer dst, long deadline) throws IOException {
    while (dst.hasRemaining()) {
      if (!in.hasRemaining()) {
        fill(1, deadline, false);
      }
      int n = Math.min(in.remaining(), dst.remaining());
      dst.put(dst.position(), in, in.position(), n);
      dst.position(dst.position() + n);
      in.position(in.position() + n);
    }
  }

  /** Buffers at least {@code n} bytes; false if woken up (wakeable) with nothing buffered. */
  private boolean fill(int n, long deadline, boolean wakeable) throws IOException {
    boolean waited = false;
    long d = deadline;
    while (in.remaining() < n) {
      in.compact();
      int r;
      try {
        r = channel.read(in);
      } catch (IOException e) {
        throw lost(e);
      } finally {
        in.flip();
      }
      if (r < 0) {
        throw new X11Exception("the X server closed the connection" + (in.hasRemaining() ? " inside a message" : "")
            + " (Xvnc exited or the qube stopped)");
      }
      if (r > 0) {
        continue;
      }
      if (waited && wakeable && !in.hasRemaining()) {
        return false;
      }
      if (d == NO_DEADLINE && in.hasRemaining()) {
        d = System.nanoTime() + timeoutNanos; // a message began: it must be complete in time
      }
      await(SelectionKey.OP_READ, d);
      waited = true;
    }
    return true;
  }

  private void write(ByteBuffer b, long deadline) throws IOException {
    while (b.hasRemaining()) {
      int n;
      try {
        n = channel.write(b);
      } catch (IOException e) {
        throw lost(e);
      }
      if (n == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
  }

  private static X11Exception lost(IOException e) {
    return new X11Exception("the X server closed the connection (" + e.getMessage()
        + "): Xvnc exited, the qube stopped, or the client was killed", e);
  }

  private void await(int ops, long deadline) throws IOException {
    long millis = 0;
    if (deadline != NO_DEADLINE) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new X11Exception("the X server did not answer within " + Duration.ofNanos(timeoutNanos).toMillis()
            + " ms; it is hung or hostile: restart the qube's display");
      }
      millis = Math.max(1, (left + 999_999) / 1_000_000);
    }
    key.interestOps(ops);
    selector.select(millis);
    selector.selectedKeys().clear();
  }
}
