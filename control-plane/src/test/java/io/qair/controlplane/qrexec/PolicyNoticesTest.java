package io.qair.controlplane.qrexec;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.controlplane.policy.Decision;
import io.qair.controlplane.policy.PolicyRequest;
import io.qair.controlplane.policy.MatchedRule;
import io.qair.controlplane.policy.PolicyAction;
import io.qair.controlplane.store.EventType;
import io.qair.controlplane.store.Store;
import io.qair.protocol.api.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notify=: which decisions become policy-notify events, with what, and the per-source rate. */
class PolicyNoticesTest {
  @TempDir Path tmp;
  Store store;
  final AtomicLong now = new AtomicLong(1_000_000);
  PolicyNotices notices;

  @BeforeEach
  void setUp() {
    store = Store.open(tmp);
    notices = new PolicyNotices(store, now::get);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private static final MatchedRule RULE = new MatchedRule("30-user.policy", 4, "test.X * work personal deny");

  private void call(String service, Decision d) {
    notices.decided(new PolicyRequest(service, "", "work", "personal"), d);
  }

  private static Decision allow(boolean notify) {
    return new Decision(PolicyAction.ALLOW, "personal", null, true, notify, null, RULE, null);
  }

  private static Decision deny(boolean notify, MatchedRule rule) {
    return new Decision(PolicyAction.DENY, null, null, false, notify, null, rule,
        rule == null ? "no rule matches" : "denied by " + rule.location());
  }

  private List<Event> notices() {
    return store.eventsAfter(0, 1000).stream().filter(e -> e.type().equals(EventType.POLICY_NOTIFY)).toList();
  }

  @Test
  void denialsAndNotifyYesAreOnTheEventStreamOthersAreNot() {
    call("test.Quiet", allow(false));
    call("test.Hush", deny(false, RULE));
    assertThat(notices()).isEmpty();
    call("test.No", deny(true, RULE));
    call("test.Loud", allow(true));
    call("test.Unknown", deny(true, null));
    List<Event> n = notices();
    assertThat(n).extracting(Event::subject).containsOnly("work");
    assertThat(n.get(0).data()).containsEntry("service", "test.No").containsEntry("decision", "deny")
        .containsEntry("target", "personal").containsEntry("rule", "30-user.policy:4")
        .doesNotContainKey("chosen");
    assertThat(n.get(1).data()).containsEntry("decision", "allow").containsEntry("chosen", "personal")
        .containsEntry("rule", "30-user.policy:4");
    assertThat(n.get(2).data()).containsEntry("decision", "deny").doesNotContainKey("rule");
    assertThat(n.get(2).data().get("reason")).contains("no rule");
  }

  @Test
  void aFloodOfRefusedCallsIsCappedAndCounted() {
    for (int i = 0; i < 100; i++) {
      call("test.No", deny(true, RULE));
    }
    assertThat(notices()).hasSize(PolicyNotices.PER_WINDOW);
    now.addAndGet(PolicyNotices.WINDOW_MS);
    call("test.No", deny(true, RULE));
    List<Event> n = notices();
    assertThat(n).hasSize(PolicyNotices.PER_WINDOW + 1);
    assertThat(n.get(n.size() - 1).data()).containsEntry("suppressed", "90");
  }
}
