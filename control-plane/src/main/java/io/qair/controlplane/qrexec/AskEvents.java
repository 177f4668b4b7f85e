package io.qair.controlplane.qrexec;

import io.qair.controlplane.policy.AskEvent;
import io.qair.controlplane.policy.Decision;
import io.qair.controlplane.policy.PendingAsk;
import io.qair.controlplane.store.EventType;
import io.qair.controlplane.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every change of a pending {@code ask} as a store event, so the event stream (and the
 * browser desktop) sees it: {@code policy-ask} when queued (the call, the offered targets, the
 * deadline), {@code policy-ask-answered} or {@code policy-ask-expired} with the outcome. The ask
 * queue calls it on the thread that changed the question (never an event loop).
 */
public final class AskEvents implements Consumer<AskEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(AskEvents.class);
  private final Store store;

  public AskEvents(Store store) {
    this.store = store;
  }

  @Override
  public void accept(AskEvent e) {
    PendingAsk a = e.ask();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("service", a.request().service());
    data.put("argument", a.request().argument());
    data.put("source", a.request().source());
    data.put("target", a.request().target());
    String type;
    switch (e.type()) {
      case QUEUED -> {
        type = EventType.POLICY_ASK;
        data.put("targets", String.join(",", a.decision().ask().targets()));
        String def = a.decision().ask().defaultTarget();
        data.put("default_target", def == null ? "" : def);
        data.put("rule", a.decision().rule().location());
        data.put("expires_at", Long.toString(a.expiresAt().toEpochMilli()));
      }
      case ANSWERED -> type = EventType.POLICY_ASK_ANSWERED;
      default -> type = EventType.POLICY_ASK_EXPIRED;
    }
    Decision outcome = e.outcome();
    if (outcome != null) {
      data.put("decision", outcome.action().keyword());
      if (outcome.target() != null) {
        data.put("chosen", outcome.target());
      }
    }
    try {
      store.write(tx -> tx.event(type, a.id(), data));
    } catch (RuntimeException ex) {
      LOG.warn("cannot record {} for ask {}: {}", type, a.id(), ex.toString());
    }
  }
}
