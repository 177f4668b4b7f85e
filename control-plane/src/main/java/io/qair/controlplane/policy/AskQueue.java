package io.qair.controlplane.policy;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ask} decisions waiting for the user. Each gets an id; it is answered (allow with one
 * of the offered targets, or deny) or, after the timeout, denied. Listeners hear of every change
 * (for the event stream) before the outcome completes. A qube cannot flood it: the number of
 * questions pending, in all and per source, is bounded, and a question past the bound is denied at
 * once.
 */
public final class AskQueue implements AutoCloseable {
  /** How long a question waits by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  static final int MAX_PENDING = 1000;
  static final int MAX_PENDING_PER_SOURCE = 20;
  private static final Logger LOG = LoggerFactory.getLogger(AskQueue.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A question put in the queue, and its outcome once answered or expired. */
  public record Ticket(PendingAsk ask, CompletableFuture<Decision> outcome) {}

  private record Entry(PendingAsk ask, CompletableFuture<Decision> outcome,
      ScheduledFuture<?> timer) {}

  private final Duration timeout;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Clock clock;
  private final Map<String, Entry> pending = new LinkedHashMap<>();
  private final List<Consumer<AskEvent>> listeners = new CopyOnWriteArrayList<>();

  private AskQueue(Duration timeout, ScheduledExecutorService scheduler, boolean owns,
      Clock clock) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeout = timeout;
    this.scheduler = scheduler;
    this.ownsScheduler = owns;
    this.clock = clock;
  }

  /** A queue with the default timeout and its own timer thread (stopped by {@link #close()}). */
  public static AskQueue create() {
    return create(DEFAULT_TIMEOUT);
  }

  /** A queue with its own timer thread (stopped by {@link #close()}). */
  public static AskQueue create(Duration timeout) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "policy-ask-timeout");
      t.setDaemon(true);
      return t;
    });
    return new AskQueue(timeout, s, true, Clock.systemUTC());
  }

  /** A queue whose timeouts run on {@code scheduler}, which the caller owns. */
  public static AskQueue create(Duration timeout, ScheduledExecutorService scheduler) {
    return new AskQueue(timeout, scheduler, false, Clock.systemUTC());
  }

  /**
   * Queues an {@code ask} decision for {@code request}. The outcome completes with the final
   * decision: allow (with the chosen target) or deny. When the queue is full the outcome is a deny
   * at once, and no question is queued.
   */
  public Ticket submit(PolicyRequest request, Decision askDecision) {
    Instant now = clock.instant();
    PendingAsk ask;
    CompletableFuture<Decision> outcome = new CompletableFuture<>();
    synchronized (pending) {
      long fromSource = pending.values().stream()
          .filter(e -> e.ask.request().source().equals(request.source())).count();
      if (pending.size() >= MAX_PENDING || fromSource >= MAX_PENDING_PER_SOURCE) {
        ask = new PendingAsk(newId(), request, askDecision, now, now);
        outcome.complete(askDecision.deniedBecause("too many questions waiting for an answer"
            + (fromSource >= MAX_PENDING_PER_SOURCE ? " from " + request.source() : ""), true));
        return new Ticket(ask, outcome);
      }
      ask = new PendingAsk(newId(), request, askDecision, now, now.plus(timeout));
      String id = ask.id();
      ScheduledFuture<?> timer =
          scheduler.schedule(() -> expire(id), timeout.toNanos(), TimeUnit.NANOSECONDS);
      pending.put(id, new Entry(ask, outcome, timer));
    }
    fire(new AskEvent(AskEvent.Type.QUEUED, ask, null));
    return new Ticket(ask, outcome);
  }

  /** The questions waiting, oldest first. */
  public List<PendingAsk> pending() {
    synchronized (pending) {
      List<PendingAsk> out = new ArrayList<>();
      pending.values().forEach(e -> out.add(e.ask));
      out.sort(Comparator.comparing(PendingAsk::createdAt));
      return out;
    }
  }

  /**
   * Answers question {@code id}. To allow, {@code target} must be one of the offered targets (null
   * takes the suggested one, or the only one); a bad target is refused and the question stays.
   *
   * @return the final decision
   * @throws QairException NOT_FOUND for an unknown or already answered id, BAD_REQUEST for a target
   *     that is not offered
   */
  public Decision answer(String untrustedId, boolean allow, String target) {
    Entry e;
    Decision outcome;
    synchronized (pending) {
      e = pending.get(untrustedId);
      if (e == null) {
        throw QairException.notFound("no pending question '" + Names.printable(untrustedId)
            + "': it was answered, or it expired");
      }
      Decision asked = e.ask.decision();
      outcome = allow ? asked.allowedAs(target)
          : asked.deniedBecause("denied by the user (ask at " + asked.rule().location() + ")",
              false);
      pending.remove(untrustedId);
    }
    e.timer.cancel(false);
    fire(new AskEvent(AskEvent.Type.ANSWERED, e.ask, outcome));
    e.outcome.complete(outcome);
    return outcome;
  }

  /** Adds a listener; returns what removes it. Listeners must be quick and must not throw. */
  public AutoCloseable addListener(Consumer<AskEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void expire(String id) {
    Entry e;
    synchronized (pending) {
      e = pending.remove(id);
    }
    if (e == null) {
      return;
    }
    String within = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s"
        : timeout.toMillis() + " ms";
    Decision outcome = e.ask.decision().deniedBecause("no answer within " + within + " (ask at "
        + e.ask.decision().rule().location() + ")", true);
    fire(new AskEvent(AskEvent.Type.EXPIRED, e.ask, outcome));
    e.outcome.complete(outcome);
  }

  private void fire(AskEvent event) {
    for (Consumer<AskEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException ex) {
        LOG.warn("ask listener failed on {}", event.type(), ex);
      }
    }
  }

  private String newId() {
    String id;
    do {
      byte[] b = new byte[6];
      RANDOM.nextBytes(b);
      id = HexFormat.of().formatHex(b);
    } while (pending.containsKey(id));
    return id;
  }

  /** Denies every pending question and, if the queue made its own timer thread, stops it. */
  @Override
  public void close() {
    List<Entry> left;
    synchronized (pending) {
      left = new ArrayList<>(pending.values());
      pending.clear();
    }
    for (Entry e : left) {
      e.timer.cancel(false);
      Decision outcome = e.ask.decision().deniedBecause("the master is shutting down", true);
      fire(new AskEvent(AskEvent.Type.EXPIRED, e.ask, outcome));
      e.outcome.complete(outcome);
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }
}
