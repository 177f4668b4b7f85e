package io.qair.agent.guest;

import io.qair.agent.spi.ExecHandle;
import io.qair.agent.spi.ExecListener;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command running in a qube, on its own data connection. A thread per command reads the
 * guest's frames and calls the listener in order; a blocking listener stops the reads, which
 * stops the guest, which stops the command (back-pressure). {@link #kill()} half-closes the
 * connection: the guest kills the command's process group and still reports its exit.
 */
public final class GuestExec implements ExecHandle {
  /** Reported when the stream ends without an EXIT frame: the qube (and the command) died. */
  public static final int KILLED = 128 + 9;
  private static final Logger LOG = LoggerFactory.getLogger(GuestExec.class);

  private final GuestConnection connection;
  private final ExecListener listener;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile boolean stdinClosed;

  GuestExec(String qube, int id, GuestConnection connection, ExecListener listener) {
    this.connection = connection;
    this.listener = listener;
    Thread t = new Thread(this::readLoop, "exec-" + qube + "-" + id);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void stdin(byte[] data) {
    if (stdinClosed) {
      return;
    }
    try {
      for (int off = 0; off < data.length; off += Frame.MAX_PAYLOAD) {
        connection.send(Frame.of(FrameType.STDIN, data, off, Math.min(Frame.MAX_PAYLOAD, data.length - off)));
      }
    } catch (IOException e) {
      stdinClosed = true; // the command is gone; its exit is reported by the reader
    }
  }

  @Override
  public void closeStdin() {
    if (stdinClosed) {
      return;
    }
    stdinClosed = true;
    try {
      connection.send(Frame.eof(FrameType.STDIN));
    } catch (IOException e) {
      // the command is gone
    }
  }

  @Override
  public void kill() {
    stdinClosed = true;
    connection.shutdownOutput();
  }

  /** Completes with the exit code after {@link ExecListener#onExit} returned. */
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  private void readLoop() {
    int code = KILLED;
    try {
      for (Optional<Frame> f = connection.read(); f.isPresent(); f = connection.read()) {
        Frame frame = f.get();
        switch (frame.type()) {
          case STDOUT -> {
            if (frame.isEof()) {
              listener.onEof(false);
            } else {
              listener.onStdout(frame.payload());
            }
          }
          case STDERR -> {
            if (frame.isEof()) {
              listener.onEof(true);
            } else {
              listener.onStderr(frame.payload());
            }
          }
          case ERROR -> listener.onStderr((frame.text() + "\n").getBytes(StandardCharsets.UTF_8));
          case EXIT -> {
            code = frame.exitCode();
            return;
          }
          default -> {
            LOG.warn("unexpected {} frame from a qube's command stream; closing it", frame.type());
            return;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("command stream ended: {}", e.toString());
    } finally {
      stdinClosed = true;
      connection.close();
      try {
        listener.onExit(code);
      } catch (RuntimeException e) {
        LOG.warn("exec listener failed", e);
      }
      exit.complete(code);
    }
  }
}
