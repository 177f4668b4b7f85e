package io.qair.desktop.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logged-in sessions, by their random 256-bit id. A session ends at logout, after
 * {@link #idle} without a request, or {@link #MAX_AGE} after login, whichever comes first. At
 * most {@link #MAX_SESSIONS} live at once; a new login ends the oldest.
 */
public final class SessionStore {
  public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
  public static final Duration MAX_AGE = Duration.ofHours(12);
  public static final int MAX_SESSIONS = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Duration idle;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  public SessionStore(Clock clock, Duration idle) {
    this.clock = clock;
    this.idle = idle;
  }

  public Session create() {
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream().min(Comparator.comparing(Session::created)).ifPresent(s -> end(s.id()));
    }
    Session s = new Session(randomToken(), randomToken(), clock.instant());
    sessions.put(s.id(), s);
    return s;
  }

  /** The live session with this id, marked as used now. */
  public Optional<Session> find(String untrustedId) {
    if (untrustedId == null || untrustedId.length() != 43) {
      return Optional.empty();
    }
    Session s = sessions.get(untrustedId);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      end(s.id());
      return Optional.empty();
    }
    s.touch(now);
    return Optional.of(s);
  }

  /** As {@link #find} without counting as activity (event streams, frame traffic). */
  public Optional<Session> peek(String untrustedId) {
    Session s = untrustedId == null ? null : sessions.get(untrustedId);
    return s == null || expired(s, clock.instant()) ? Optional.empty() : Optional.of(s);
  }

  public void touch(Session s) {
    s.touch(clock.instant());
  }

  public void end(String id) {
    Session s = sessions.remove(id);
    if (s != null) {
      s.close();
    }
  }

  /** Ends expired sessions; the gateway calls it every minute. */
  public void sweep() {
    Instant now = clock.instant();
    for (Session s : sessions.values()) {
      if (expired(s, now)) {
        end(s.id());
      }
    }
  }

  public void endAll() {
    for (String id : sessions.keySet()) {
      end(id);
    }
  }

  public int size() {
    return sessions.size();
  }

  private boolean expired(Session s, Instant now) {
    return now.isAfter(s.lastSeen().plus(idle)) || now.isAfter(s.created().plus(MAX_AGE));
  }

  /** Constant-time comparison of a token the browser sent with the one expected. */
  public static boolean sameToken(String expected, String untrusted) {
    return untrusted != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        untrusted.getBytes(StandardCharsets.US_ASCII));
  }

  private static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
