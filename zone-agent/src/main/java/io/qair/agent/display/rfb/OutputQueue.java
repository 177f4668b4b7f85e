package io.qair.agent.display.rfb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Client messages on their way to the server, written by one daemon thread so that a caller never
 * blocks on a server that stopped reading. Past {@code maxPending} queued bytes the connection
 * fails instead of growing without bound.
 */
final class OutputQueue {
  private final WritableByteChannel channel;
  private final int maxPending;
  private final Consumer<IOException> onFailure;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private final Thread thread;
  private long pending;
  private boolean closed;

  OutputQueue(WritableByteChannel channel, int maxPending, Consumer<IOException> onFailure, String threadName) {
    this.channel = channel;
    this.maxPending = maxPending;
    this.onFailure = onFailure;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues one whole message; dropped after {@link #close()}. */
  void send(byte[] message) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (pending + message.length > maxPending) {
        closed = true;
        queue.clear();
        notifyAll();
      } else {
        queue.add(ByteBuffer.wrap(message));
        pending += message.length;
        notifyAll();
        return;
      }
    }
    onFailure.accept(new RfbProtocolException("the server stopped reading: more than " + maxPending
        + " bytes of input are waiting for it"));
  }

  void close() {
    synchronized (this) {
      closed = true;
      queue.clear();
      notifyAll();
    }
  }

  private void run() {
    try {
      while (true) {
        ByteBuffer next;
        synchronized (this) {
          while (queue.isEmpty() && !closed) {
            wait();
          }
          if (closed) {
            return;
          }
          next = queue.peek();
        }
        int size = next.remaining();
        while (next.hasRemaining()) {
          channel.write(next);
        }
        synchronized (this) {
          queue.poll();
          pending -= size;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      boolean wasClosed;
      synchronized (this) {
        wasClosed = closed;
        closed = true;
      }
      if (!wasClosed) {
        onFailure.accept(e);
      }
    }
  }

  /** Writes directly, before the writer thread runs (the handshake). */
  static void writeFully(WritableByteChannel channel, byte[] message) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(message);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }
}
