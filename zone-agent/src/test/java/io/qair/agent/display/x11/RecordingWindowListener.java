package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** Keeps what a {@link WindowListener} was told; tests wait for a state with {@link #await}. */
final class RecordingWindowListener implements WindowListener {
  static final Duration WAIT = Duration.ofSeconds(30);

  private final Map<Integer, XWindow> current = new LinkedHashMap<>();
  private final List<String> log = new ArrayList<>();
  final CompletableFuture<Throwable> closed = new CompletableFuture<>();
  volatile Thread callingThread;

  @Override
  public synchronized void onMapped(XWindow w) {
    callingThread = Thread.currentThread();
    log.add("mapped " + w);
    current.put(w.id(), w);
  }

  @Override
  public synchronized void onChanged(XWindow w) {
    log.add("changed " + w);
    current.put(w.id(), w);
  }

  @Override
  public synchronized void onUnmapped(int window) {
    log.add("unmapped " + window);
    current.remove(window);
  }

  @Override
  public void onClosed(Throwable causeOrNull) {
    closed.complete(causeOrNull);
  }

  synchronized Map<Integer, XWindow> current() {
    return Map.copyOf(current);
  }

  synchronized boolean wasUnmapped(int window) {
    return log.contains("unmapped " + window);
  }

  /** Waits until a reported window matches. */
  XWindow await(String what, Predicate<XWindow> matches) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (this) {
        for (XWindow w : current.values()) {
          if (matches.test(w)) {
            return w;
          }
        }
      }
      Thread.sleep(50);
    }
    synchronized (this) {
      return fail("no window %s within %s; reported: %s", what, WAIT, log);
    }
  }

  /** Waits until {@code window} was reported unmapped. */
  void awaitUnmapped(int window) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!wasUnmapped(window)) {
      if (System.nanoTime() > deadline) {
        synchronized (this) {
          fail("window %d not unmapped within %s; reported: %s", window, WAIT, log);
        }
      }
      Thread.sleep(50);
    }
  }
}
