package io.qair.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import org.junit.jupiter.api.Test;

class PolicyRequestTest {
  @Test
  void splitsServiceAndArgument() {
    assertThat(PolicyRequest.ofCall("qubes.Filecopy", "work", "personal"))
        .isEqualTo(new PolicyRequest("qubes.Filecopy", "", "work", "personal"));
    assertThat(PolicyRequest.ofCall("svc+a+b", "work", null))
        .isEqualTo(new PolicyRequest("svc", "a+b", "work", ""));
    assertThat(PolicyRequest.ofCall("svc+", "work", "").call()).isEqualTo("svc");
    assertThat(PolicyRequest.ofCall("svc+x", "work", "").call()).isEqualTo("svc+x");
  }

  @Test
  void refusesMalformedCallsFromAQube() {
    for (String[] bad : new String[][] {{"", "work", ""}, {"svc/../x", "work", ""},
        {"svc+a b", "work", ""}, {"svc", "", ""}, {"svc", "wo rk", ""}, {"svc", "work", "a\nb"},
        {"s".repeat(65), "work", ""}}) {
      assertThatThrownBy(() -> PolicyRequest.ofCall(bad[0], bad[1], bad[2]))
          .as(String.join("|", bad)).isInstanceOf(QairException.class)
          .extracting(e -> ((QairException) e).kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    }
    assertThatThrownBy(() -> PolicyRequest.ofCall("svc\u0000", "work", ""))
        .hasMessage("invalid service 'svc?': use 1-64 letters, digits, '.', '_' or '-'");
  }

  @Test
  void theDecisionNamesTheRuleThatMatched() {
    Decision d = Fixtures.parse("# first\nsvc  *   @anyvm\t@anyvm  allow   user=root  ")
        .evaluate(Fixtures.request("svc work personal"), Fixtures.SYSTEM);
    assertThat(d.rule()).isEqualTo(
        new MatchedRule("t.policy", 2, "svc  *   @anyvm\t@anyvm  allow   user=root"));
    assertThat(d.user()).isEqualTo("root");
    assertThat(d.autostart()).isTrue();
    assertThat(d.notifyUser()).isFalse();
    assertThat(d.ask()).isNull();
    assertThatThrownBy(() -> d.allowedAs("vault")).isInstanceOf(IllegalStateException.class);
  }
}
