package io.qair.controlplane.qrexec;

import io.qair.controlplane.policy.Decision;
import io.qair.controlplane.policy.PolicyAction;
import io.qair.controlplane.policy.PolicyRequest;
import io.qair.controlplane.store.EventType;
import io.qair.controlplane.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy's {@code notify=}: a decision that says to notify the user (every {@code deny} unless
 * {@code notify=no}; {@code allow}/{@code ask} with {@code notify=yes}) becomes a {@code
 * policy-notify} event on the event stream, subject the calling qube, with the call, the decision,
 * the chosen target, the rule and the reason. A qube could flood the stream with refused calls, so
 * each source gets at most {@link #PER_WINDOW} notices per {@link #WINDOW_MS}; the next notice
 * after a quiet spell says how many were left out ({@code suppressed}). Blocking (the store):
 * call it off the event loop.
 */
public final class PolicyNotices {
  static final int PER_WINDOW = 10;
  static final long WINDOW_MS = 10_000;
  /** Sources remembered at most (the window state of the oldest is dropped beyond it). */
  private static final int MAX_SOURCES = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(PolicyNotices.class);

  private final Store store;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long start;
    int sent;
    int suppressed;
  }

  public PolicyNotices(Store store) {
    this(store, System::currentTimeMillis);
  }

  PolicyNotices(Store store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Records the notice for {@code d} if it asks for one and the source is within its rate. */
  public void decided(PolicyRequest call, Decision d) {
    if (!d.notifyUser()) {
      return;
    }
    int suppressed;
    if (windows.size() > MAX_SOURCES) {
      windows.clear();
    }
    Window w = windows.computeIfAbsent(call.source(), s -> new Window());
    synchronized (w) {
      long now = clock.getAsLong();
      if (now - w.start >= WINDOW_MS) {
        w.start = now;
        w.sent = 0;
      }
      if (w.sent >= PER_WINDOW) {
        w.suppressed++;
        return;
      }
      w.sent++;
      suppressed = w.suppressed;
      w.suppressed = 0;
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put("service", call.service());
    data.put("argument", call.argument());
    data.put("source", call.source());
    data.put("target", call.target());
    data.put("decision", d.action().keyword());
    if (d.action() == PolicyAction.ALLOW) {
      data.put("chosen", d.target());
    }
    if (d.rule() != null) {
      data.put("rule", d.rule().location());
    }
    if (d.reason() != null) {
      data.put("reason", d.reason());
    }
    if (suppressed > 0) {
      data.put("suppressed", Integer.toString(suppressed));
    }
    try {
      store.write(tx -> tx.event(EventType.POLICY_NOTIFY, call.source(), data));
    } catch (RuntimeException e) {
      LOG.warn("cannot record a policy notice for {}: {}", call.source(), e.toString());
    }
  }
}
