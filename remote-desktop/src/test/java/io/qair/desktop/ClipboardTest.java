package io.qair.desktop;

import static io.qair.desktop.fake.GatewayHarness.await;
import static io.qair.desktop.fake.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.desktop.fake.FakeAgent;
import io.qair.desktop.fake.PagePeer;
import io.qair.desktop.tunnel.GuacamoleCodec;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The secure clipboard: Ctrl+Shift+C on one qube's tunnel, Ctrl+Shift+V on another's, decided by
 * the master's qubes.ClipboardPaste policy. The text never reaches the page.
 */
class ClipboardTest extends GatewayTestBase {
  PagePeer work;
  PagePeer untrusted;

  @BeforeEach
  void open() throws Exception {
    h.agent.clipboards.clear();
    h.master.evals.clear();
    work = tunnel("work");
    untrusted = tunnel("untrusted");
  }

  private PagePeer tunnel(String qube) throws Exception {
    return h.openDisplay(login, qube);
  }

  private FakeAgent.Display agentOf(String qube) {
    return h.agentDisplay(qube);
  }

  private void copyFromWork(String text) throws Exception {
    h.agent.clipboards.put("work", text);
    int before = work.withOpcode("qair-copied").size();
    work.send(GuacamoleCodec.encode("qair-copy"));
    eventually(() -> work.withOpcode("qair-copied").size() > before, "the copy");
  }

  @Test
  void allowedPasteMovesTheTextOnceAndNeverThroughThePage() throws Exception {
    h.master.clipboardPolicy = (source, target) -> "allow";
    copyFromWork("secret from work \u00e9\ud83d\ude00");
    GuacamoleInstruction copied = work.withOpcode("qair-copied").get(0);
    assertThat(copied.getArgs()).containsExactly("work", "19");
    untrusted.send(GuacamoleCodec.encode("qair-paste"));
    eventually(() -> h.agent.clipboards.containsKey("untrusted"), "the paste");
    assertThat(h.agent.clipboards.get("untrusted")).isEqualTo("secret from work \u00e9\ud83d\ude00");
    assertThat(h.master.evals).containsExactly(new JsonObject().put("service", "qubes.ClipboardPaste")
        .put("source", "work").put("target", "untrusted"));
    assertThat(untrusted.waitFor("qair-pasted").getArgs()).containsExactly("work", "untrusted", "19");
    assertThat(String.join("", work.messages) + String.join("", untrusted.messages)).doesNotContain("secret");

    // the global clipboard is empty after a paste
    untrusted.send(GuacamoleCodec.encode("qair-paste"));
    assertThat(untrusted.waitFor("qair-notice").getArgs().get(1)).contains("empty");
    assertThat(h.master.evals).hasSize(1);
  }

  @Test
  void deniedPasteLeavesTheTargetAlone() throws Exception {
    h.master.clipboardPolicy = (source, target) -> "deny";
    copyFromWork("do not leak");
    untrusted.send(GuacamoleCodec.encode("qair-paste"));
    assertThat(untrusted.waitFor("qair-paste-denied").getArgs()).containsExactly("work", "untrusted");
    assertThat(h.agent.clipboards).doesNotContainKey("untrusted");
    assertThat(agentOf("untrusted").receivedOpcode("qair-clipboard-set")).isFalse();
    // still on the global clipboard: an allowed paste later works
    h.master.clipboardPolicy = (source, target) -> "allow";
    untrusted.send(GuacamoleCodec.encode("qair-paste"));
    eventually(() -> "do not leak".equals(h.agent.clipboards.get("untrusted")), "the later paste");
  }

  @Test
  void askPastesOnlyAfterTheUserConfirms() throws Exception {
    h.master.clipboardPolicy = (source, target) -> "ask";
    copyFromWork("ask me");
    untrusted.send(GuacamoleCodec.encode("qair-paste"));
    GuacamoleInstruction ask = untrusted.waitFor("qair-paste-ask");
    assertThat(ask.getArgs().subList(1, 4)).containsExactly("work", "untrusted", "6");
    assertThat(h.agent.clipboards).doesNotContainKey("untrusted");
    untrusted.send(GuacamoleCodec.encode("qair-paste-confirm", "not-the-token", "1"));
    untrusted.send(GuacamoleCodec.encode("qair-paste-confirm", ask.getArgs().get(0), "1"));
    eventually(() -> "ask me".equals(h.agent.clipboards.get("untrusted")), "the confirmed paste");
    assertThat(agentOf("untrusted").received.stream().filter(r -> r.contains("qair-clipboard-set")).count()).isEqualTo(1);
  }

  @Test
  void theBrowserCannotSetOrReadAQubesClipboard() throws Exception {
    h.agent.clipboards.put("work", "private");
    untrusted.send(GuacamoleCodec.encode("qair-clipboard-set", "injected") + GuacamoleCodec.encode("qair-clipboard-get"));
    work.send(GuacamoleCodec.encode("qair-clipboard-get"));
    untrusted.send(GuacamoleCodec.encode("", "ping", "1"));
    untrusted.waitFor("");
    eventually(() -> untrusted.withOpcode("").stream().anyMatch(i -> i.getArgs().contains("ping")), "pong");
    assertThat(agentOf("untrusted").receivedOpcode("qair-clipboard-set")).isFalse();
    assertThat(agentOf("work").receivedOpcode("qair-clipboard-get")).isFalse();
    assertThat(String.join("", work.messages)).doesNotContain("private");
  }

  @Test
  void anOversizedClipboardIsNotTaken() throws Exception {
    h.master.clipboardPolicy = (source, target) -> "allow";
    h.agent.clipboards.put("work", "z".repeat(300 * 1024)); // sent in 8192-code-point elements
    work.send(GuacamoleCodec.encode("qair-copy"));
    assertThat(work.waitFor("qair-notice").getArgs().get(1)).contains("larger than 256 KiB");
    untrusted.send(GuacamoleCodec.encode("qair-paste"));
    assertThat(untrusted.waitFor("qair-notice").getArgs().get(1)).contains("empty");
  }
}
