package io.qair.agent.server;

import io.qair.agent.spi.ExecHandle;
import io.qair.agent.spi.ExecListener;
import io.qair.agent.spi.IsolationBackend;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.qrexec.ExitCodes;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /v1/qubes/{qube}/exec} WebSocket: the first text message is an {@link ExecRequest};
 * then binary messages carry qrexec frames. STDIN frames go to the command on this session's
 * {@link SerialWorker}; the socket is paused while too many writes are waiting (the qube is not
 * reading). Output comes back from the backend's thread; that thread waits while the socket's
 * write queue is full, which pauses reading from the qube.
 */
final class ExecSession implements ExecListener {
  private static final Logger LOG = LoggerFactory.getLogger(ExecSession.class);
  /** Pause the socket when this many stdin writes wait; resume at {@link #LOW_WATER}. */
  static final int HIGH_WATER = 8;
  static final int LOW_WATER = 2;

  private final ServerWebSocket ws;
  private final Context context;
  private final IsolationBackend backend;
  private final String qube;
  private final SerialWorker worker;
  private final FrameDecoder decoder = new FrameDecoder();
  private volatile ExecHandle handle;
  private volatile boolean started;
  private volatile boolean exited;
  private volatile boolean closed;
  private boolean paused;

  ExecSession(ServerWebSocket ws, Context context, IsolationBackend backend, String qube, ExecutorService pool) {
    this.ws = ws;
    this.context = context;
    this.backend = backend;
    this.qube = qube;
    this.worker = new SerialWorker(pool);
  }

  void begin() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onBinary);
    ws.closeHandler(v -> onClosed());
    ws.exceptionHandler(e -> LOG.debug("exec socket for {} failed", qube, e));
  }

  private void onText(String untrusted) {
    if (started) {
      fail("protocol error: only the first message may be text");
      return;
    }
    started = true;
    ExecRequest req;
    try {
      req = AgentJson.read(untrusted, ExecRequest.class);
      if (req.argv() == null || req.argv().isEmpty()) {
        throw QairException.badRequest("ExecRequest.argv is empty");
      }
    } catch (QairException e) {
      fail(e.getMessage());
      return;
    }
    submit(() -> {
      try {
        ExecHandle h = backend.exec(qube, req, this);
        handle = h;
        if (closed) {
          h.kill();
        }
      } catch (QairException e) {
        failFromWorker(e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("exec in {} failed", qube, e);
        failFromWorker("exec failed: internal error in the zone agent");
      }
    });
  }

  private void onBinary(Buffer data) {
    if (!started) {
      fail("protocol error: the first message must be a text ExecRequest");
      return;
    }
    List<Frame> frames;
    try {
      frames = decoder.feed(data.getBytes());
    } catch (QairException e) {
      fail(e.getMessage());
      return;
    }
    for (Frame f : frames) {
      if (f.type() != FrameType.STDIN) {
        fail("protocol error: the master may only send STDIN frames, got " + f.type());
        return;
      }
      byte[] payload = f.payload();
      submit(() -> {
        ExecHandle h = handle;
        if (h == null || exited) {
          return;
        }
        if (payload.length == 0) {
          h.closeStdin();
        } else {
          h.stdin(payload);
        }
      });
    }
  }

  /** On the event loop. */
  private void submit(Runnable task) {
    worker.submit(task, this::afterTask);
    if (!paused && worker.pending() >= HIGH_WATER) {
      paused = true;
      ws.pause();
    }
  }

  /** On the worker thread. */
  private void afterTask() {
    if (worker.pending() <= LOW_WATER) {
      context.runOnContext(v -> {
        if (paused && worker.pending() <= LOW_WATER) {
          paused = false;
          ws.resume();
        }
      });
    }
  }

  private void onClosed() {
    closed = true;
    if (!exited) {
      ExecHandle h = handle;
      if (h != null) {
        worker.submit(h::kill, () -> {});
      }
    }
  }

  @Override
  public void onStdout(byte[] data) {
    send(FrameType.STDOUT, data);
  }

  @Override
  public void onStderr(byte[] data) {
    send(FrameType.STDERR, data);
  }

  @Override
  public void onEof(boolean stderr) {
    write(Frame.eof(stderr ? FrameType.STDERR : FrameType.STDOUT));
  }

  @Override
  public void onExit(int exitCode) {
    exited = true;
    write(Frame.exit(exitCode));
    context.runOnContext(v -> ws.close());
  }

  private void send(FrameType type, byte[] data) {
    for (int off = 0; off < data.length; off += Frame.MAX_PAYLOAD) {
      write(Frame.of(type, data, off, Math.min(Frame.MAX_PAYLOAD, data.length - off)));
    }
  }

  /** From the backend's thread: writes, then waits while the peer is not reading. */
  private void write(Frame frame) {
    if (closed) {
      return;
    }
    ws.writeBinaryMessage(Buffer.buffer(frame.encode()));
    if (ws.writeQueueFull()) {
      CountDownLatch drained = new CountDownLatch(1);
      context.runOnContext(v -> {
        if (closed || !ws.writeQueueFull()) {
          drained.countDown();
        } else {
          ws.drainHandler(x -> drained.countDown());
          ws.closeHandler(x -> {
            onClosed();
            drained.countDown();
          });
        }
      });
      try {
        while (!closed && !drained.await(1, TimeUnit.SECONDS)) {
          // keep waiting for the master to read
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void fail(String message) {
    exited = true;
    ws.writeBinaryMessage(Buffer.buffer(Frame.error(message).encode()));
    ws.writeBinaryMessage(Buffer.buffer(Frame.exit(ExitCodes.REFUSED).encode()));
    ExecHandle h = handle;
    if (h != null) {
      worker.submit(h::kill, () -> {});
    }
    ws.close();
  }

  private void failFromWorker(String message) {
    context.runOnContext(v -> fail(message));
  }
}
