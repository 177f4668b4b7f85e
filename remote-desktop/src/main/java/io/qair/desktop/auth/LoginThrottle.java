package io.qair.desktop.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Backoff against password guessing. There is one user, so failures are counted for the whole
 * gateway: the first {@link #FREE_FAILURES} - 1 cost nothing, then each failure closes the door for
 * twice as long as the one before (1 s, 2 s, 4 s ... at most {@link #MAX_LOCK}). While the door
 * is closed no password is checked at all, right or wrong. A success resets the count. Only one
 * check runs at a time, so a flood of logins cannot keep the CPU busy with the slow KDF.
 */
public final class LoginThrottle {
  public static final int FREE_FAILURES = 5;
  public static final Duration MAX_LOCK = Duration.ofMinutes(15);

  private final Clock clock;
  private int failures;
  private Instant lockedUntil = Instant.EPOCH;
  private boolean checking;

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * Asks to check a password now. Returns {@link Duration#ZERO} when allowed (call
   * {@link #done(boolean)} afterwards), else how long to wait.
   */
  public synchronized Duration tryAcquire() {
    Instant now = clock.instant();
    if (now.isBefore(lockedUntil)) {
      return Duration.between(now, lockedUntil);
    }
    if (checking) {
      return Duration.ofSeconds(1);
    }
    checking = true;
    return Duration.ZERO;
  }

  /** The result of the check allowed by {@link #tryAcquire()}. */
  public synchronized void done(boolean success) {
    checking = false;
    if (success) {
      failures = 0;
      lockedUntil = Instant.EPOCH;
      return;
    }
    failures++;
    if (failures >= FREE_FAILURES) {
      int doublings = Math.min(failures - FREE_FAILURES, 20);
      Duration lock = Duration.ofSeconds(1L << doublings);
      lockedUntil = clock.instant().plus(lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock);
    }
  }

  public synchronized int failures() {
    return failures;
  }
}
