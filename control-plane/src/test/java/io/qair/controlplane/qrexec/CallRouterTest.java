package io.qair.controlplane.qrexec;

import static io.qair.controlplane.api.TestMaster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.controlplane.api.WithTestMaster;
import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.Label;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.QrexecMessage;
import io.qair.protocol.qrexec.ServiceCall;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The master's half of a call, with the fake zone runtime: checks, policy, ask, autostart, disposables. */
class CallRouterTest extends WithTestMaster {
  CallRouter router;

  @BeforeEach
  void setUp() throws Exception {
    m.store.insertZone(ZoneRow.pending("far", "local", null, Map.of()));
    m.store.updateZone("far", ZoneState.READY, "127.0.0.1:7445", null, null, null);
    m.store.write(tx -> {
      tx.insertQube(new QubeRow("work", QubeClass.AppVM, "local", Label.BLUE, "debian-12", null, 400, 2,
          QubeState.RUNNING, 0));
      tx.insertQube(new QubeRow("personal", QubeClass.AppVM, "local", Label.GREEN, "debian-12", null, 400, 2,
          QubeState.RUNNING, 0));
      tx.insertQube(new QubeRow("sleepy", QubeClass.AppVM, "local", Label.GREEN, "debian-12", null, 400, 2,
          QubeState.HALTED, 0));
      tx.insertQube(new QubeRow("faraway", QubeClass.AppVM, "far", Label.GREEN, null, null, 400, 2,
          QubeState.RUNNING, 0));
      return null;
    });
    m.server.services().policy().replace("30-user", """
        test.Echo * work personal allow
        test.Echo * work sleepy allow
        test.Lazy * work sleepy allow autostart=no
        test.Echo * work faraway allow
        test.Echo * faraway personal allow
        test.Echo * work @dispvm allow
        test.Echo * work dom0 allow
        test.Ask * work personal ask default_target=personal
        """);
    router = new CallRouter(m.server.services());
  }

  private QrexecMessage decide(String zone, String id, String source, String target, String service) throws Exception {
    Future<QrexecMessage> f = m.vertx.executeBlocking(() -> null).compose(v ->
        router.decide(zone, QrexecMessage.call(id, source, target, service, "")));
    return await(f);
  }

  @Test
  void anAllowedCallToARunningQubeNamesIt() throws Exception {
    QrexecMessage d = decide("local", "c1", "work", "personal", "test.Echo");
    assertThat(d.allow()).isTrue();
    assertThat(d.target()).isEqualTo("personal");
    assertThat(d.id()).isEqualTo("c1");
  }

  @Test
  void aDeniedCallSaysWhy() throws Exception {
    QrexecMessage d = decide("local", "c1", "personal", "work", "test.Echo");
    assertThat(d.allow()).isFalse();
    assertThat(d.reason()).contains("no rule");
  }

  @Test
  void theSourceMustLiveInTheAgentsZone() throws Exception {
    QrexecMessage d = decide("far", "c1", "work", "personal", "test.Echo");
    assertThat(d.allow()).isFalse();
    assertThat(d.reason()).contains("is not in zone far");
  }

  @Test
  void aHaltedTargetIsStartedUnlessAutostartIsNo() throws Exception {
    assertThat(decide("local", "c1", "work", "sleepy", "test.Lazy").reason()).contains("autostart=no");
    assertThat(m.runtime.started).isEmpty();
    QrexecMessage d = decide("local", "c2", "work", "sleepy", "test.Echo");
    assertThat(d.allow()).as(d.reason()).isTrue();
    assertThat(m.runtime.started).extracting(s -> s.name()).containsExactly("sleepy");
    assertThat(m.store.qube("sleepy").orElseThrow().state()).isEqualTo(QubeState.RUNNING);
  }

  @Test
  void aTargetInAnotherZoneGetsItsServiceStartedThereAndTheCallRelayed() throws Exception {
    m.runtime.running.put("faraway", "far");
    QrexecMessage d = decide("local", "c1", "work", "faraway", "test.Echo");
    assertThat(d.allow()).as(d.reason()).isTrue();
    assertThat(d.relayed()).isTrue();
    assertThat(d.target()).isEqualTo("faraway");
    assertThat(m.runtime.execs).hasSize(1);
    assertThat(m.runtime.execs.get(0).getKey()).isEqualTo("far/faraway");
    assertThat(m.runtime.execs.get(0).getValue().argv()).containsExactly(ServiceCall.MULTIPLEXER, "test.Echo");
    assertThat(m.runtime.execs.get(0).getValue().env()).containsEntry("QREXEC_REMOTE_DOMAIN", "work")
        .containsEntry("QREXEC_REQUESTED_TARGET", "faraway");
    assertThat(m.runtime.callData).containsExactly("c1"); // the caller's side, relayed to the service
  }

  @Test
  void aTargetZoneThatCannotStartTheServiceIsARefusal() throws Exception {
    QrexecMessage d = decide("local", "c1", "work", "faraway", "test.Echo"); // not running in the fake zone
    assertThat(d.allow()).isFalse();
    assertThat(d.reason()).contains("not running");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!m.runtime.callDataOpen.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(m.runtime.callData).containsExactly("c1");
    assertThat(m.runtime.callDataOpen).as("the caller's data socket is closed").isEmpty();
  }

  @Test
  void aDeniedCallAcrossZonesStartsNothingThere() throws Exception {
    m.runtime.running.put("faraway", "far");
    assertThat(decide("local", "c1", "work", "faraway", "test.Other").allow()).isFalse();
    assertThat(m.runtime.execs).isEmpty();
  }

  @Test
  void theMasterAnswersItsOwnServicesInTheDecision() throws Exception {
    assertThat(decide("local", "c1", "work", "dom0", "test.Echo").reason()).contains("(dom0) has no service test.Echo");
    // the default policy: qubes.GetDate to @default goes to the master
    QrexecMessage d = decide("local", "c2", "work", "@default", "qubes.GetDate");
    assertThat(d.allow()).as(d.reason()).isTrue();
    assertThat(d.target()).isEqualTo("dom0");
    assertThat(d.exitCode()).isZero();
    assertThat(new String(d.output(), java.nio.charset.StandardCharsets.US_ASCII))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00\n");
  }

  @Test
  void aDispvmCallGetsADisposableThatIsDestroyedWhenTheCallEnds() throws Exception {
    QrexecMessage d = decide("local", "c1", "work", "@dispvm", "test.Echo");
    assertThat(d.allow()).as(d.reason()).isTrue();
    String disp = d.target();
    assertThat(disp).startsWith("disp");
    assertThat(m.store.qube(disp).orElseThrow().state()).isEqualTo(QubeState.RUNNING);
    m.vertx.runOnContext(v -> router.ended("local", QrexecMessage.ended("c1", 0)));
    awaitGone(disp);

    QrexecMessage d2 = decide("local", "c2", "work", "@dispvm", "test.Echo");
    assertThat(m.store.qube(d2.target())).isPresent();
    m.vertx.runOnContext(v -> router.linkLost("local"));
    awaitGone(d2.target());
  }

  private void awaitGone(String qube) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (m.store.qube(qube).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(m.store.qube(qube)).isEmpty();
    assertThat(m.runtime.removed).contains(qube);
  }

  @Test
  void anAskWaitsForTheUser() throws Exception {
    Future<QrexecMessage> f = m.vertx.executeBlocking(() -> null).compose(v ->
        router.decide("local", QrexecMessage.call("c1", "work", "personal", "test.Ask", "")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (m.server.services().asks().pending().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(f.isComplete()).isFalse();
    String id = m.server.services().asks().pending().get(0).id();
    m.server.services().asks().answer(id, true, null);
    QrexecMessage d = await(f);
    assertThat(d.allow()).isTrue();
    assertThat(d.target()).isEqualTo("personal");
  }
}
