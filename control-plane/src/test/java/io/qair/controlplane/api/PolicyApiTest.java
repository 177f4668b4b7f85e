package io.qair.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.controlplane.policy.AskQueue;
import io.qair.controlplane.policy.Decision;
import io.qair.controlplane.policy.PolicyAction;
import io.qair.controlplane.policy.PolicyRequest;
import io.qair.protocol.api.Event;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The qrexec policy through the Admin API: files, validation, eval, and ask questions. */
class PolicyApiTest extends WithTestMaster {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void qubes() throws Exception {
    for (String q : List.of("work", "personal")) {
      assertThat(m.call("POST", "/api/v1/qubes", "{\"name\":\"" + q + "\",\"label\":\"blue\"}").status()).isEqualTo(201);
    }
  }

  private static JsonNode json(TestMaster.Answer a) throws Exception {
    return JSON.readTree(a.body());
  }

  private JsonNode eval(String service, String source, String target) throws Exception {
    TestMaster.Answer a = m.call("POST", "/api/v1/policy/eval",
        "{\"service\":\"" + service + "\",\"source\":\"" + source + "\",\"target\":\"" + target + "\"}");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return json(a);
  }

  @Test
  void aNewMasterHasTheDefaultPolicy() throws Exception {
    assertThat(json(m.call("GET", "/api/v1/policies", null))).extracting(JsonNode::asText)
        .containsExactly("30-user", "90-default");
    assertThat(json(m.call("GET", "/api/v1/policies/90-default", null)).path("text").asText())
        .contains("qubes.Filecopy");
    JsonNode d = eval("qubes.Filecopy", "work", "personal");
    assertThat(d.path("action").asText()).isEqualTo("ask");
    assertThat(d.path("rule").asText()).isEqualTo("90-default.policy:" + lineOf("90-default.policy", "qubes.Filecopy"));
    assertThat(d.path("targets")).extracting(JsonNode::asText).containsExactly("@dispvm:debian-12", "debian-12",
        "personal");
    assertThat(eval("qubes.VMShell", "work", "personal").path("action").asText()).isEqualTo("deny");
    assertThat(eval("qubes.VMShell", "dom0", "personal").path("summary").asText()).startsWith("allow target=personal");
    assertThat(eval("no.Such", "work", "personal").path("reason").asText()).contains("no rule");
  }

  private int lineOf(String file, String text) throws Exception {
    List<String> lines = Files.readAllLines(m.dataDir.resolve("policy.d").resolve(file));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  @Test
  void aValidReplaceTakesEffectAndRemoveUndoesIt() throws Exception {
    TestMaster.Answer put = m.call("PUT", "/api/v1/policies/30-user",
        "{\"text\":\"qubes.Filecopy * work personal allow\\n\"}");
    assertThat(put.status()).as(put.body()).isEqualTo(204);
    JsonNode d = eval("qubes.Filecopy", "work", "personal");
    assertThat(d.path("summary").asText()).isEqualTo("allow target=personal (30-user.policy:1)");
    assertThat(m.call("POST", "/api/v1/policies/check", null).body()).isEqualTo("{\"valid\":true,\"errors\":[]}");
    assertThat(m.call("PUT", "/api/v1/policies/50-extra.policy", "{\"text\":\"\"}").status()).isEqualTo(204);
    assertThat(json(m.call("GET", "/api/v1/policies", null))).extracting(JsonNode::asText)
        .containsExactly("30-user", "50-extra", "90-default");
    assertThat(m.call("DELETE", "/api/v1/policies/30-user", null).status()).isEqualTo(204);
    assertThat(eval("qubes.Filecopy", "work", "personal").path("action").asText()).isEqualTo("ask");
    assertThat(m.call("DELETE", "/api/v1/policies/30-user", null).status()).isEqualTo(404);
  }

  @Test
  void aBrokenReplaceReportsEveryErrorAndChangesNothing() throws Exception {
    assertThat(m.call("PUT", "/api/v1/policies/30-user", "{\"text\":\"qubes.Filecopy * work personal allow\\n\"}")
        .status()).isEqualTo(204);
    String before = Files.readString(m.dataDir.resolve("policy.d/30-user.policy"));
    TestMaster.Answer a = m.call("PUT", "/api/v1/policies/30-user",
        "{\"text\":\"qubes.Filecopy * @foo personal allow\\nqubes.Filecopy * work personal deny target=work\\n\"}");
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    String message = json(a).path("message").asText();
    assertThat(message.lines()).hasSize(2);
    assertThat(message).contains("30-user.policy:1: invalid source '@foo'")
        .contains("30-user.policy:2: 'target=' is not allowed with deny");
    assertThat(Files.readString(m.dataDir.resolve("policy.d/30-user.policy"))).isEqualTo(before);
    assertThat(eval("qubes.Filecopy", "work", "personal").path("summary").asText())
        .isEqualTo("allow target=personal (30-user.policy:1)");
    try (var files = Files.list(m.dataDir.resolve("policy.d"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("30-user.policy",
          "90-default.policy");
    }
    assertThat(m.call("PUT", "/api/v1/policies/..%2Fx", "{\"text\":\"\"}").status()).isEqualTo(400);
  }

  @Test
  void checkReportsAFileBrokenOnDisk() throws Exception {
    Files.writeString(m.dataDir.resolve("policy.d/40-hand.policy"), "qubes.Filecopy * work\n");
    JsonNode r = json(m.call("POST", "/api/v1/policies/check", null));
    assertThat(r.path("valid").asBoolean()).isFalse();
    assertThat(r.path("errors").get(0).asText()).startsWith("40-hand.policy:1: ");
  }

  private AskQueue.Ticket ask() {
    PolicyRequest call = PolicyRequest.ofCall("qubes.Filecopy", "work", "personal");
    Services s = m.server.services();
    Decision d = s.policy().evaluate(call, s.systemInfo());
    assertThat(d.action()).isEqualTo(PolicyAction.ASK);
    return s.asks().submit(call, d);
  }

  private List<Event> events(String type) {
    return m.store.eventsAfter(0, 10_000).stream().filter(e -> e.type().equals(type)).toList();
  }

  @Test
  void askIsListedOnTheEventStreamAndAnsweredWithAnOfferedTarget() throws Exception {
    AskQueue.Ticket t = ask();
    String id = t.ask().id();
    JsonNode asks = json(m.call("GET", "/api/v1/policy/asks", null));
    assertThat(asks).hasSize(1);
    assertThat(asks.get(0).path("id").asText()).isEqualTo(id);
    assertThat(asks.get(0).path("source").asText()).isEqualTo("work");
    assertThat(events("policy-ask")).singleElement().satisfies(e -> {
      assertThat(e.subject()).isEqualTo(id);
      assertThat(e.data()).containsEntry("targets", "@dispvm:debian-12,debian-12,personal").containsEntry("service", "qubes.Filecopy");
    });
    TestMaster.Answer wrong = m.call("POST", "/api/v1/policy/asks/" + id, "{\"allow\":true,\"target\":\"work\"}");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(json(wrong).path("message").asText()).contains("not an allowed target");
    assertThat(t.outcome()).isNotDone();
    TestMaster.Answer ok = m.call("POST", "/api/v1/policy/asks/" + id, "{\"allow\":true,\"target\":\"personal\"}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(json(ok).path("target").asText()).isEqualTo("personal");
    assertThat(t.outcome().get(5, TimeUnit.SECONDS).target()).isEqualTo("personal");
    assertThat(events("policy-ask-answered")).singleElement()
        .satisfies(e -> assertThat(e.data()).containsEntry("decision", "allow").containsEntry("chosen", "personal"));
    assertThat(m.call("POST", "/api/v1/policy/asks/" + id, "{\"allow\":false}").status()).isEqualTo(404);
    assertThat(json(m.call("GET", "/api/v1/policy/asks", null))).isEmpty();
  }

  @Test
  void anUnansweredAskIsDeniedAfterItsTimeout() throws Exception {
    m.close();
    m = TestMaster.start(tmp.resolve("short"), java.time.Duration.ofMillis(300));
    qubes();
    AskQueue.Ticket t = ask();
    Decision d = t.outcome().get(10, TimeUnit.SECONDS);
    assertThat(d.action()).isEqualTo(PolicyAction.DENY);
    assertThat(d.reason()).contains("no answer within 300 ms");
    long deadline = System.currentTimeMillis() + 5000;
    while (events("policy-ask-expired").isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(events("policy-ask-expired")).singleElement()
        .satisfies(e -> assertThat(e.data()).containsEntry("decision", "deny"));
  }
}
