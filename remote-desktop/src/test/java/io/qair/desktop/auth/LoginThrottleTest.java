package io.qair.desktop.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.desktop.fake.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final MutableClock clock = new MutableClock();
  private final LoginThrottle t = new LoginThrottle(clock);

  private void fail() {
    assertThat(t.tryAcquire()).isZero();
    t.done(false);
  }

  @Test
  void theFirstFailuresAreFreeThenTheLockDoubles() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES - 1; i++) {
      fail();
    }
    fail(); // the fifth closes the door for 1 s
    assertThat(t.tryAcquire()).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    fail();
    assertThat(t.tryAcquire()).isEqualTo(Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(2));
    fail();
    assertThat(t.tryAcquire()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void theLockIsCapped() {
    for (int i = 0; i < 40; i++) {
      clock.advance(LoginThrottle.MAX_LOCK);
      fail();
    }
    assertThat(t.tryAcquire()).isEqualTo(LoginThrottle.MAX_LOCK);
  }

  @Test
  void aSuccessResets() {
    for (int i = 0; i < LoginThrottle.FREE_FAILURES - 1; i++) {
      fail();
    }
    assertThat(t.tryAcquire()).isZero();
    t.done(true);
    assertThat(t.failures()).isZero();
    fail();
    assertThat(t.tryAcquire()).isZero();
  }

  @Test
  void oneCheckAtATime() {
    assertThat(t.tryAcquire()).isZero();
    assertThat(t.tryAcquire()).isPositive();
    t.done(false);
    assertThat(t.tryAcquire()).isZero();
  }
}
