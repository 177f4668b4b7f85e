package io.qair.agent.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one session's blocking tasks in order, one at a time, on a shared thread pool, so a qube
 * that does not read its stdin blocks only its own session. {@link #pending()} is what the
 * session uses to apply back-pressure.
 */
final class SerialWorker {
  private static final Logger LOG = LoggerFactory.getLogger(SerialWorker.class);
  private final ExecutorService pool;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicInteger pending = new AtomicInteger();

  SerialWorker(ExecutorService pool) {
    this.pool = pool;
  }

  int pending() {
    return pending.get();
  }

  /** Queues {@code task}; {@code done} runs (on the worker thread) after it, even if it throws. */
  void submit(Runnable task, Runnable done) {
    pending.incrementAndGet();
    queue.add(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.debug("session task failed", e);
      } finally {
        pending.decrementAndGet();
        done.run();
      }
    });
    drain();
  }

  private void drain() {
    if (running.compareAndSet(false, true)) {
      pool.execute(() -> {
        try {
          Runnable r;
          while ((r = queue.poll()) != null) {
            r.run();
          }
        } finally {
          running.set(false);
          if (!queue.isEmpty()) {
            drain();
          }
        }
      });
    }
  }
}
