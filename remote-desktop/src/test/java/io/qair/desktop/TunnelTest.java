package io.qair.desktop;

import static io.qair.desktop.fake.GatewayHarness.await;
import static io.qair.desktop.fake.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.desktop.fake.FakeAgent;
import io.qair.desktop.fake.PagePeer;
import io.qair.desktop.tunnel.GuacamoleCodec;
import io.vertx.core.http.UpgradeRejectedException;
import java.awt.Color;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.junit.jupiter.api.Test;

/** The display tunnel between a page and a (fake) zone agent: who may open it and what may cross it. */
class TunnelTest extends GatewayTestBase {

  private PagePeer open(String qube) throws Exception {
    return h.openDisplay(login, qube);
  }

  private FakeAgent.Display last(String qube) {
    return h.agentDisplay(qube);
  }

  private static int status(Throwable e) {
    Throwable c = e instanceof ExecutionException ? e.getCause() : e;
    return ((UpgradeRejectedException) c).getStatus();
  }

  @Test
  void withoutSessionTheWebSocketIsRefused() {
    assertThatThrownBy(() -> await(h.tunnel("work", null, h.origin())))
        .satisfies(e -> assertThat(status(e)).isEqualTo(403));
    assertThatThrownBy(() -> await(h.tunnel("work", "__Host-qair-session=forged", h.origin())))
        .satisfies(e -> assertThat(status(e)).isEqualTo(403));
  }

  @Test
  void aForeignOrNoOriginIsRefused() {
    assertThatThrownBy(() -> await(h.tunnel("work", login.cookie(), "https://evil.example")))
        .satisfies(e -> assertThat(status(e)).isEqualTo(403));
    assertThatThrownBy(() -> await(h.tunnel("work", login.cookie(), null)))
        .satisfies(e -> assertThat(status(e)).isEqualTo(403));
  }

  @Test
  void anAgentWithAnotherZonesCertificateIsNotTrusted() throws Exception {
    FakeAgent impostor = await(new FakeAgent(h.vertx, "local").start(h.pki)); // a real agent, of zone local
    h.master.addZone("remote", impostor.address());                          // claims to be zone remote
    h.master.addQube("spy", "remote", "orange", "RUNNING");
    PagePeer p = await(h.tunnel("spy", login.cookie(), h.origin()));
    assertThat(p.waitFor("qair-error").getArgs().get(0)).contains("cannot reach the display of spy on zone remote")
        .contains("the agent's certificate is for 'local', not zone remote");
    eventually(() -> p.closed, "the tunnel to close");
    assertThat(impostor.opened).isEmpty();
    await(impostor.close());
  }

  @Test
  void theTunnelIsOpenedAndPingsAreAnswered() throws Exception {
    PagePeer p = open("work");
    GuacamoleInstruction uuid = p.waitFor("");
    assertThat(uuid.getArgs().get(0)).matches("[0-9a-f-]{36}");
    p.send(GuacamoleCodec.encode("", "ping", "1234"));
    eventually(() -> p.withOpcode("").stream().anyMatch(i -> i.getArgs().equals(List.of("ping", "1234"))), "pong");
    p.socket.close();
  }

  @Test
  void aHostileTitleIsCleanedAndCut() throws Exception {
    PagePeer p = open("work");
    String hostile = "\u202e[work] ok\u0007\n\t" + "x".repeat(10_000);
    last("work").send(GuacamoleCodec.encode("size", "7", "100", "50")
        + GuacamoleCodec.encode("qair-window", "7", "normal", "0", "0", "0", hostile.substring(0, 8000)));
    GuacamoleInstruction w = p.waitFor("qair-window");
    String title = w.getArgs().get(5);
    assertThat(title.codePointCount(0, title.length())).isEqualTo(128);
    assertThat(title).startsWith("[work] ok x").endsWith("\u2026").doesNotContain("\u202e", "\u0007", "\n", "\t");
    p.socket.close();
  }

  @Test
  void anOversizedInstructionEndsTheTunnel() throws Exception {
    PagePeer p = open("work");
    last("work").send(GuacamoleCodec.encode("size", "2", "10", "10")
        + GuacamoleCodec.encode("qair-window", "2", "normal", "0", "0", "0", "y".repeat(10_000)));
    eventually(() -> p.closed, "the tunnel to close");
    assertThat(p.withOpcode("qair-window")).isEmpty();
    assertThat(p.waitFor("qair-error").getArgs().get(0)).contains("malformed");
  }

  @Test
  void onlyTheDisplayInstructionsReachThePage() throws Exception {
    PagePeer p = open("untrusted");
    FakeAgent.Display d = last("untrusted");
    d.send(GuacamoleCodec.encode("qair-clipboard", "unsolicited secret")
        + GuacamoleCodec.encode("qair-clipboard-set", "x")
        + GuacamoleCodec.encode("qair-clipboard-get")
        + GuacamoleCodec.encode("clipboard", "1", "text/plain")
        + GuacamoleCodec.encode("rect", "0", "0", "0", "10", "10")        // not in display.md
        + GuacamoleCodec.encode("size", "0", "4000", "4000")              // the root layer: never
        + GuacamoleCodec.encode("img", "1", "14", "9", "image/png", "0", "0") // layer 9 was never sized
        + GuacamoleCodec.encode("size", "3", "20", "20")
        + GuacamoleCodec.encode("img", "1", "14", "3", "text/html", "0", "0")
        + GuacamoleCodec.encode("img", "2", "14", "3", "image/png", "00", "+5")
        + GuacamoleCodec.encode("copy", "3", "0", "0", "5", "5", "12", "4", "0", "0") // across windows
        + GuacamoleCodec.encode("qair-window", "3", "popup", "3", "1", "1", "menu")   // its own parent
        + GuacamoleCodec.encode("sync", "42"));
    p.waitFor("sync");
    List<String> opcodes = p.received.stream().map(GuacamoleInstruction::getOpcode).filter(o -> !o.isEmpty()).toList();
    assertThat(opcodes).containsExactly("size", "qair-window", "sync");
    assertThat(p.withOpcode("size").get(0).getArgs()).containsExactly("3", "20", "20");
    assertThat(p.withOpcode("qair-window").get(0).getArgs()).containsExactly("3", "normal", "0", "1", "1", "menu");
    assertThat(String.join("", p.messages)).doesNotContain("secret");
    p.socket.close();
  }

  @Test
  void onlyWhitelistedInputReachesTheAgent() throws Exception {
    PagePeer p = open("work");
    FakeAgent.Display d = last("work");
    d.window(5, 80, 40, "xterm", Color.WHITE, null);
    p.waitFor("qair-window");
    p.send(GuacamoleCodec.encode("qair-clipboard-set", "evil")
        + GuacamoleCodec.encode("qair-clipboard-get")
        + GuacamoleCodec.encode("mouse", "1", "1", "1")
        + GuacamoleCodec.encode("size", "5", "1", "1")
        + GuacamoleCodec.encode("qair-mouse", "6", "1", "1", "0")     // not a window of this qube
        + GuacamoleCodec.encode("qair-resize", "5", "0", "10")        // zero width
        + GuacamoleCodec.encode("key", "65", "2")
        + GuacamoleCodec.encode("key", "0x41", "1")
        + GuacamoleCodec.encode("qair-focus", "5")
        + GuacamoleCodec.encode("key", "97", "1")
        + GuacamoleCodec.encode("qair-mouse", "5", "10", "-3", "1")
        + GuacamoleCodec.encode("qair-resize", "5", "300", "200")
        + GuacamoleCodec.encode("qair-close", "5"));
    eventually(() -> d.receivedOpcode("qair-close"), "the close");
    assertThat(d.received.stream().filter(r -> !r.startsWith("4.sync")).toList()).containsExactly(
        "10.qair-focus,1.5;", "3.key,2.97,1.1;", "10.qair-mouse,1.5,2.10,2.-3,1.1;", "11.qair-resize,1.5,3.300,3.200;",
        "10.qair-close,1.5;");
    p.socket.close();
  }

  @Test
  void aFrameIsAcknowledgedThroughTheTunnel() throws Exception {
    PagePeer p = open("work");
    FakeAgent.Display d = last("work");
    d.window(1, 10, 10, "t", Color.BLUE, null);
    String ts = p.waitFor("sync").getArgs().get(0);
    p.send(GuacamoleCodec.encode("sync", ts));
    eventually(() -> d.received.contains(GuacamoleCodec.encode("sync", ts)), "the agent to get the sync");
    p.socket.close();
  }

  @Test
  void aMalformedMessageFromThePageEndsTheTunnel() throws Exception {
    PagePeer p = open("work");
    FakeAgent.Display d = last("work");
    p.send("3.key,2.97");
    eventually(() -> p.closed, "the tunnel to close");
    eventually(() -> !h.agent.displays("work").contains(d), "the agent side to close");
  }
}
