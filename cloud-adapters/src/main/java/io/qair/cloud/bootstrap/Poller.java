package io.qair.cloud.bootstrap;

import io.qair.protocol.QairException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a cloud until something is true; interval and timeout come from adapter settings. */
public record Poller(Duration interval, Duration timeout) {
  /**
   * From settings {@code poll-interval-ms} and {@code boot-timeout-seconds}; defaults 3 s and 600 s.
   */
  public static Poller fromSettings(io.qair.cloud.spi.AdapterContext context) {
    return new Poller(Duration.ofMillis(number(context, "poll-interval-ms", 3000)),
        Duration.ofSeconds(number(context, "boot-timeout-seconds", 600)));
  }

  private static long number(io.qair.cloud.spi.AdapterContext context, String key, long dflt) {
    return context.setting(key).map(v -> {
      try {
        return Long.parseLong(v.strip());
      } catch (NumberFormatException e) {
        throw QairException.badRequest("adapter setting " + key + " must be a number, not '" + v + "'");
      }
    }).orElse(dflt);
  }

  /** Calls {@code probe} until it gives a value; empty once the timeout has passed. */
  public <T> Optional<T> until(Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent() || System.nanoTime() - deadline > 0) {
        return v;
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw QairException.unavailable("interrupted while waiting for the cloud", e);
      }
    }
  }
}
