package io.qair.agent.display.rfb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A fake RFB server's end of a connection: the client reads the scripted bytes (in small chunks,
 * so buffering is exercised), may block for more ({@link #feed}) until {@link #end()}, and what it
 * writes is kept for assertions.
 */
class ScriptedChannel implements ByteChannel {
  private final ByteArrayOutputStream script = new ByteArrayOutputStream();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final int chunk;
  private int readPos;
  private boolean ended;
  private boolean closed;

  ScriptedChannel(byte[] initial, int chunk) {
    script.writeBytes(initial);
    this.chunk = chunk;
  }

  /** The script, then the end of the stream. */
  static ScriptedChannel ending(byte[] bytes) {
    ScriptedChannel c = new ScriptedChannel(bytes, 7);
    c.end();
    return c;
  }

  /** The script, then the connection stays open. */
  static ScriptedChannel open(byte[] bytes) {
    return new ScriptedChannel(bytes, 7);
  }

  synchronized void feed(byte[] more) {
    script.writeBytes(more);
    notifyAll();
  }

  synchronized void end() {
    ended = true;
    notifyAll();
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws ClosedChannelException {
    while (true) {
      if (closed) {
        throw new AsynchronousCloseException();
      }
      int available = script.size() - readPos;
      if (available > 0) {
        int n = Math.min(Math.min(available, dst.remaining()), chunk);
        dst.put(script.toByteArray(), readPos, n);
        readPos += n;
        return n;
      }
      if (ended) {
        return -1;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AsynchronousCloseException();
      }
    }
  }

  @Override
  public synchronized int write(ByteBuffer src) throws ClosedChannelException {
    if (closed) {
      throw new ClosedChannelException();
    }
    int n = src.remaining();
    byte[] b = new byte[n];
    src.get(b);
    written.writeBytes(b);
    notifyAll();
    return n;
  }

  synchronized byte[] written() {
    return written.toByteArray();
  }

  /** Waits until the client has written at least {@code n} bytes; returns all it wrote. */
  synchronized byte[] awaitWritten(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (written.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the client wrote " + written.size() + " bytes, expected " + n + ": "
            + Arrays.toString(written.toByteArray()));
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return written.toByteArray();
  }

  @Override
  public synchronized boolean isOpen() {
    return !closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }
}
