package io.qair.agent.display.rfb;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RfbClient} over a blocking byte channel: a reader thread and a writer thread. */
final class ChannelRfbClient implements RfbClient {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelRfbClient.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final ScheduledThreadPoolExecutor TIMER = timer();
  /** Marks a close the owner asked for: reported as {@code onClosed(null)}. */
  private static final Throwable CLOSED_BY_OWNER = new Throwable("closed", null, false, false) {
    private static final long serialVersionUID = 1L;
  };

  private final ByteChannel channel;
  private final RfbListener listener;
  private final RfbLimits limits;
  private final String name;
  private final String where;
  private final Framebuffer framebuffer;
  private final OutputQueue out;
  private final ExtendedClipboard clipboard;
  private final ServerMessageReader reader;
  private final Thread readerThread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private ChannelRfbClient(ByteChannel channel, RfbInput in, Handshake.ServerInit init, RfbListener listener,
      RfbLimits limits, String where) {
    int id = IDS.incrementAndGet();
    this.channel = channel;
    this.listener = listener;
    this.limits = limits;
    this.name = init.name();
    this.where = where;
    this.framebuffer = new Framebuffer(init.width(), init.height());
    this.out = new OutputQueue(channel, limits.maxPendingOutputBytes(), this::fail, "qair-rfb-writer-" + id);
    this.clipboard = new ExtendedClipboard(limits.maxCutTextBytes(), out::send);
    this.reader = new ServerMessageReader(in, framebuffer, limits, listener, clipboard);
    this.readerThread = new Thread(this::readLoop, "qair-rfb-reader-" + id);
    readerThread.setDaemon(true);
  }

  static ChannelRfbClient open(ByteChannel channel, RfbListener listener, RfbLimits limits, String where)
      throws IOException {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(limits, "limits");
    if (channel instanceof SelectableChannel s && !s.isBlocking()) {
      channel.close();
      throw new IllegalArgumentException("the RFB channel must be in blocking mode");
    }
    RfbInput in = new RfbInput(channel);
    Handshake.ServerInit init = handshake(channel, in, limits, where);
    ChannelRfbClient client = new ChannelRfbClient(channel, in, init, listener, limits, where);
    client.out.send(ClientMessages.setPixelFormat(PixelFormat.ARGB32));
    client.out.send(ClientMessages.setEncodings(ClientMessages.ENCODINGS));
    client.out.start();
    client.readerThread.start();
    return client;
  }

  private static Handshake.ServerInit handshake(ByteChannel channel, RfbInput in, RfbLimits limits, String where)
      throws IOException {
    AtomicBoolean over = new AtomicBoolean();
    ScheduledFuture<?> watchdog = TIMER.schedule(() -> {
      if (over.compareAndSet(false, true)) {
        closeQuietly(channel);
      }
    }, limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    IOException failure;
    try {
      Handshake.ServerInit init = Handshake.run(in, channel, limits);
      if (over.compareAndSet(false, true)) {
        return init;
      }
      failure = null;
    } catch (IOException e) {
      failure = e;
    } finally {
      watchdog.cancel(false);
    }
    closeQuietly(channel);
    if (over.compareAndSet(false, true)) {
      throw failure;
    }
    throw new RfbProtocolException("the RFB server at " + where + " did not finish the handshake within "
        + limits.handshakeTimeout().toMillis() + " ms", failure);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int width() {
    return framebuffer.width();
  }

  @Override
  public int height() {
    return framebuffer.height();
  }

  @Override
  public Framebuffer framebuffer() {
    return framebuffer;
  }

  @Override
  public void requestUpdate(int x, int y, int w, int h, boolean incremental) {
    if (w < 0 || h < 0) {
      throw new IllegalArgumentException("negative update area " + w + "x" + h);
    }
    Rect r = new Rect(x, y, w, h).intersect(framebuffer.bounds());
    if (!r.isEmpty()) {
      out.send(ClientMessages.updateRequest(incremental, r));
    }
  }

  @Override
  public void pointer(int x, int y, int buttonMask) {
    int cx = Math.max(0, Math.min(x, framebuffer.width() - 1));
    int cy = Math.max(0, Math.min(y, framebuffer.height() - 1));
    out.send(ClientMessages.pointer(buttonMask & 0xFF, cx, cy));
  }

  @Override
  public void key(int keysym, boolean down) {
    out.send(ClientMessages.key(keysym, down));
  }

  @Override
  public void cutText(String text) {
    Objects.requireNonNull(text, "text");
    if (clipboard.enabled()) {
      int bytes = text.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > limits.maxCutTextBytes()) {
        throw new IllegalArgumentException("clipboard text of " + bytes + " bytes, more than " + limits.maxCutTextBytes());
      }
      clipboard.offer(text);
      return;
    }
    String lf = ExtendedClipboard.lf(text);
    if (lf.length() > limits.maxCutTextBytes()) {
      throw new IllegalArgumentException("clipboard text of " + lf.length() + " characters, more than "
          + limits.maxCutTextBytes());
    }
    StringBuilder latin1 = new StringBuilder(lf.length());
    lf.codePoints().forEach(c -> latin1.append(c <= 0xFF ? (char) c : '?'));
    out.send(ClientMessages.cutText(latin1.toString().getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Override
  public void close() {
    fail(CLOSED_BY_OWNER);
  }

  /** Rectangles decoded so far with {@code encoding} (tests, diagnostics). */
  long rects(int encoding) {
    return reader.rects(encoding);
  }

  private void fail(Throwable cause) {
    failure.compareAndSet(null, cause);
    out.close();
    closeQuietly(channel);
  }

  private void readLoop() {
    try {
      listener.onOpen(this);
      reader.run();
      fail(new EOFException("the RFB server at " + where + " closed the connection"));
    } catch (Throwable t) {
      fail(t);
    } finally {
      reader.close();
      Throwable cause = failure.get();
      if (cause instanceof IOException) {
        LOG.warn("RFB connection to {} failed: {}", where, cause.toString());
      } else if (cause != CLOSED_BY_OWNER) {
        LOG.error("RFB connection to {} failed", where, cause);
      }
      try {
        listener.onClosed(cause == CLOSED_BY_OWNER ? null : cause);
      } catch (RuntimeException e) {
        LOG.error("RFB listener failed in onClosed", e);
      }
    }
  }

  private static void closeQuietly(ByteChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing the RFB channel", e);
    }
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "qair-rfb-handshake-timer");
      thread.setDaemon(true);
      return thread;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
