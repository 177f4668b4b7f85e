package io.qair.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AskQueueTest {
  private static final Policy POLICY = Fixtures.parse(
      "svc * @anyvm @anyvm ask default_target=vault\n"
          + "one * @anyvm @anyvm ask target=personal\n");
  private AskQueue queue = AskQueue.create();
  private final List<AskEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    queue.close();
  }

  private AskQueue.Ticket submit(String call) {
    PolicyRequest r = Fixtures.request(call);
    Decision d = POLICY.evaluate(r, Fixtures.SYSTEM);
    assertThat(d.action()).isEqualTo(PolicyAction.ASK);
    return queue.submit(r, d);
  }

  @Test
  void allowWithAnOfferedTarget() throws Exception {
    queue.addListener(events::add);
    AskQueue.Ticket t = submit("svc work personal");
    assertThat(queue.pending()).extracting(PendingAsk::id).containsExactly(t.ask().id());
    assertThat(t.outcome()).isNotDone();

    Decision d = queue.answer(t.ask().id(), true, "cloudy");

    assertThat(d.describe()).isEqualTo("allow target=cloudy (t.policy:1)");
    assertThat(t.outcome().get(1, TimeUnit.SECONDS)).isEqualTo(d);
    assertThat(queue.pending()).isEmpty();
    assertThat(events).extracting(AskEvent::type)
        .containsExactly(AskEvent.Type.QUEUED, AskEvent.Type.ANSWERED);
    assertThat(events.get(1).outcome()).isEqualTo(d);
  }

  @Test
  void allowWithoutTargetTakesTheSuggestedOrOnlyOne() throws Exception {
    assertThat(queue.answer(submit("svc work personal").ask().id(), true, null).describe())
        .isEqualTo("allow target=vault (t.policy:1)");
    assertThat(queue.answer(submit("one work").ask().id(), true, null).describe())
        .isEqualTo("allow target=personal (t.policy:2)");
  }

  @Test
  void deny() throws Exception {
    AskQueue.Ticket t = submit("svc work personal");
    queue.answer(t.ask().id(), false, null);
    assertThat(t.outcome().get(1, TimeUnit.SECONDS).describe())
        .isEqualTo("deny: denied by the user (ask at t.policy:1) (notify=no)");
  }

  @Test
  void aTargetNotOfferedIsRefusedAndTheQuestionStays() {
    AskQueue.Ticket t = submit("one work personal");
    assertThatThrownBy(() -> queue.answer(t.ask().id(), true, "vault"))
        .isInstanceOf(QairException.class)
        .hasMessage("'vault' is not an allowed target; choose one of personal")
        .extracting(e -> ((QairException) e).kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    assertThatThrownBy(() -> queue.answer(t.ask().id(), true, "work"))
        .hasMessage("'work' is not an allowed target; choose one of personal");
    assertThat(t.outcome()).isNotDone();
    assertThat(queue.pending()).hasSize(1);
    assertThat(queue.answer(t.ask().id(), true, "personal").action())
        .isEqualTo(PolicyAction.ALLOW);
  }

  @Test
  void unknownOrAnsweredIdsAreNotFound() {
    AskQueue.Ticket t = submit("svc work personal");
    queue.answer(t.ask().id(), false, null);
    assertThatThrownBy(() -> queue.answer(t.ask().id(), true, "vault"))
        .hasMessage("no pending question '" + t.ask().id() + "': it was answered, or it expired")
        .extracting(e -> ((QairException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThatThrownBy(() -> queue.answer("../nope\n", true, "vault"))
        .hasMessage("no pending question '../nope?': it was answered, or it expired");
  }

  @Test
  void timeoutDenies() throws Exception {
    queue.close();
    queue = AskQueue.create(Duration.ofMillis(50));
    queue.addListener(events::add);
    AskQueue.Ticket t = submit("svc work personal");
    Decision d = t.outcome().get(5, TimeUnit.SECONDS);
    assertThat(d.describe()).isEqualTo("deny: no answer within 50 ms (ask at t.policy:1)");
    assertThat(queue.pending()).isEmpty();
    assertThat(events).extracting(AskEvent::type)
        .containsExactly(AskEvent.Type.QUEUED, AskEvent.Type.EXPIRED);
    assertThatThrownBy(() -> queue.answer(t.ask().id(), true, "vault"))
        .isInstanceOf(QairException.class);
  }

  @Test
  void aQubeCannotFloodTheQueue() throws Exception {
    for (int i = 0; i < AskQueue.MAX_PENDING_PER_SOURCE; i++) {
      submit("svc work personal");
    }
    AskQueue.Ticket over = submit("svc work personal");
    assertThat(over.outcome().get(1, TimeUnit.SECONDS).describe())
        .isEqualTo("deny: too many questions waiting for an answer from work");
    assertThat(submit("svc cloudy personal").outcome()).isNotDone();
    assertThat(queue.pending()).hasSize(AskQueue.MAX_PENDING_PER_SOURCE + 1);
  }

  @Test
  void closeDeniesWhatIsPending() throws Exception {
    AskQueue.Ticket t = submit("svc work personal");
    queue.close();
    assertThat(t.outcome().get(1, TimeUnit.SECONDS).describe())
        .isEqualTo("deny: the master is shutting down");
  }

  @Test
  void aFailingListenerDoesNotBreakTheQueue() throws Exception {
    queue.addListener(e -> {
      throw new IllegalStateException("boom");
    });
    AutoCloseable handle = queue.addListener(events::add);
    AskQueue.Ticket t = submit("svc work personal");
    handle.close();
    queue.answer(t.ask().id(), true, "vault");
    assertThat(events).extracting(AskEvent::type).containsExactly(AskEvent.Type.QUEUED);
    assertThat(t.outcome().get(1, TimeUnit.SECONDS).action()).isEqualTo(PolicyAction.ALLOW);
  }
}
