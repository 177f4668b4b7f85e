package io.qair.agent.qrexec;

import io.qair.agent.spi.CallChannel;
import io.qair.protocol.QairException;
import io.qair.protocol.qrexec.ExitCodes;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One call joined to the master's data socket: the caller's STDIN frames go out on the socket
 * (this thread, waiting while the socket's write queue is full); the frames the master relays from
 * the target (STDOUT, STDERR, ERROR, EXIT; anything else ends the call) go to the caller from a
 * pool thread, the socket paused while {@link #HIGH_WATER} frames wait. A socket that closes
 * before EXIT gives the caller an ERROR and EXIT 126; a caller that hangs up closes the socket
 * (the master then stops the service).
 */
final class RelayedCall {
  static final int HIGH_WATER = 16;
  static final int LOW_WATER = 4;
  /** Bytes the socket may queue before the caller's reads pause: 16 frames, so writes pipeline. */
  static final int WRITE_QUEUE = 16 * (Frame.HEADER + Frame.MAX_PAYLOAD);
  private static final Frame CLOSED = Frame.eof(FrameType.ERROR);

  private final ServerWebSocket ws;
  private final Context context;
  private final CallChannel caller;
  private final String target;
  private final ExecutorService pool;
  private final BlockingQueue<Frame> toCaller = new LinkedBlockingQueue<>();
  private final FrameDecoder decoder = new FrameDecoder();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile boolean paused;
  private volatile boolean over;
  private String broken;

  RelayedCall(ServerWebSocket ws, Context context, CallChannel caller, String target, ExecutorService pool) {
    this.ws = ws;
    this.context = context;
    this.caller = caller;
    this.target = target;
    this.pool = pool;
  }

  int run() {
    try {
      pool.execute(this::toCaller);
    } catch (RejectedExecutionException e) {
      ws.close();
      return RelayedCalls.refuse(caller, "the zone agent is stopping");
    }
    context.runOnContext(v -> {
      ws.setWriteQueueMaxSize(WRITE_QUEUE);
      ws.binaryMessageHandler(this::fromMaster);
      ws.textMessageHandler(t -> fail("the master sent text on a call's data socket"));
      ws.closeHandler(x -> toCaller.add(CLOSED));
      ws.exceptionHandler(e -> { });
      if (ws.isClosed()) {
        toCaller.add(CLOSED);
      }
      ws.resume();
    });
    fromCaller();
    try {
      return exit.get();
    } catch (Exception e) {
      return ExitCodes.REFUSED;
    }
  }

  /** On the event loop: frames from the target, through the master. */
  private void fromMaster(Buffer b) {
    List<Frame> frames;
    try {
      frames = decoder.feed(b.getBytes());
    } catch (QairException e) {
      fail("the master sent a malformed frame: " + e.getMessage());
      return;
    }
    for (Frame f : frames) {
      if (f.type() != FrameType.STDOUT && f.type() != FrameType.STDERR && f.type() != FrameType.ERROR
          && f.type() != FrameType.EXIT) {
        fail("the master sent a " + f.type() + " frame on a call's data socket");
        return;
      }
      toCaller.add(f);
    }
    if (!paused && toCaller.size() >= HIGH_WATER) {
      paused = true;
      ws.pause();
    }
  }

  private void fail(String why) {
    broken = why;
    ws.close((short) 1002, "protocol error");
  }

  /** A pool thread: the master's frames to the caller, in order. */
  private void toCaller() {
    boolean callerGone = false;
    try {
      while (true) {
        Frame f = toCaller.take();
        if (paused && toCaller.size() <= LOW_WATER) {
          context.runOnContext(v -> {
            if (paused && toCaller.size() <= LOW_WATER) {
              paused = false;
              ws.resume();
            }
          });
        }
        if (f == CLOSED) {
          String why = broken != null ? broken
              : "the connection to " + target + " was lost before the service ended";
          if (!callerGone) {
            RelayedCalls.refuse(caller, why);
          }
          exit.complete(ExitCodes.REFUSED);
          return;
        }
        if (!callerGone) {
          try {
            caller.send(f);
          } catch (IOException e) {
            callerGone = true; // keep draining until EXIT or close; the reader closes the socket
          }
        }
        if (f.type() == FrameType.EXIT) {
          exit.complete(f.payload().length == 4 ? f.exitCode() & 0xff : ExitCodes.REFUSED);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit.complete(ExitCodes.REFUSED);
    } finally {
      over = true;
      caller.close(); // ends fromCaller's read
      ws.close();
    }
  }

  /** This thread: the caller's STDIN to the master until EOF or hang-up. */
  private void fromCaller() {
    try {
      for (Optional<Frame> f = caller.read(); f.isPresent() && !over; f = caller.read()) {
        if (f.get().type() == FrameType.STDIN) {
          write(f.get());
        }
      }
    } catch (IOException | RuntimeException e) {
      // the caller went away
    }
    if (!over) {
      ws.close(); // the caller hung up: the master stops the service
    }
  }

  /** Writes, then waits while the master is not reading. */
  private void write(Frame frame) {
    if (ws.isClosed()) {
      return;
    }
    ws.writeBinaryMessage(Buffer.buffer(frame.encode()));
    if (ws.writeQueueFull()) {
      CountDownLatch drained = new CountDownLatch(1);
      context.runOnContext(v -> {
        if (ws.isClosed() || !ws.writeQueueFull()) {
          drained.countDown();
        } else {
          ws.drainHandler(x -> drained.countDown());
        }
      });
      try {
        while (!over && !ws.isClosed() && !drained.await(1, TimeUnit.SECONDS)) {
          // keep waiting for the master to read
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
