package io.qair.controlplane.policy;

import static io.qair.controlplane.policy.Fixtures.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision table: a policy, a call ({@code SERVICE[+ARG] SOURCE [TARGET]}) and the decision, as
 * {@link Decision#describe()} prints it. See {@link Fixtures#SYSTEM} for the qubes.
 */
class PolicyEvaluationTest {
  private static final String NO_MATCH = "deny: no rule matched; denied by default";
  private static final String ALL_BUT_WORK = "@dispvm:dvm,@dispvm:dvm-aws,cloudy,disp123,dvm,"
      + "dvm-aws,fedora,personal,standalone1,vault";

  static Stream<Arguments> table() {
    return Stream.of(
        // ---- source column
        row("svc * work @anyvm allow", "svc work personal", "allow target=personal (t.policy:1)"),
        row("svc * work @anyvm allow", "svc personal work", NO_MATCH),
        row("svc * @anyvm @anyvm allow", "svc dom0 work", NO_MATCH),
        row("svc * @adminvm work allow", "svc dom0 work", "allow target=work (t.policy:1)"),
        row("svc * @adminvm work allow", "svc @adminvm work", "allow target=work (t.policy:1)"),
        row("svc * @adminvm work allow", "svc personal work", NO_MATCH),
        row("svc * dom0 work allow", "svc @adminvm work", "allow target=work (t.policy:1)"),
        row("svc * @tag:work @anyvm allow", "svc work personal", "allow target=personal (t.policy:1)"),
        row("svc * @tag:work @anyvm allow", "svc vault personal", NO_MATCH),
        row("svc * @type:DispVM @anyvm allow", "svc disp123 work", "allow target=work (t.policy:1)"),
        row("svc * @type:DispVM @anyvm allow", "svc work personal", NO_MATCH),
        row("svc * @type:AdminVM @anyvm allow", "svc dom0 work", NO_MATCH),
        row("svc * @zone:aws @anyvm allow", "svc cloudy work", "allow target=work (t.policy:1)"),
        row("svc * @zone:aws @anyvm allow", "svc work cloudy", NO_MATCH),
        row("svc * @dispvm:dvm @anyvm allow", "svc disp123 work", "allow target=work (t.policy:1)"),
        row("svc * @dispvm:dvm @anyvm allow", "svc work personal", NO_MATCH),
        row("svc * @dispvm:@tag:dvmtag @anyvm allow", "svc disp123 work",
            "allow target=work (t.policy:1)"),
        row("svc * @dispvm:@tag:other @anyvm allow", "svc disp123 work", NO_MATCH),
        // ---- target column
        row("svc * @anyvm @anyvm allow", "svc work @dispvm", "allow target=@dispvm:dvm (t.policy:1)"),
        row("svc * @anyvm @anyvm allow", "svc work @dispvm:dvm-aws",
            "allow target=@dispvm:dvm-aws (t.policy:1)"),
        row("svc * @anyvm @anyvm allow", "svc work dom0", NO_MATCH),
        row("svc * @anyvm @anyvm allow", "svc work @adminvm", NO_MATCH),
        row("svc * @anyvm @anyvm allow", "svc work", "deny: allowed by t.policy:1, but the call"
            + " names no target and the rule has no target="),
        row("svc * @anyvm @adminvm allow", "svc work dom0", "allow target=dom0 (t.policy:1)"),
        row("svc * @anyvm @adminvm allow", "svc work @adminvm", "allow target=dom0 (t.policy:1)"),
        row("svc * @anyvm dom0 allow", "svc work @adminvm", "allow target=dom0 (t.policy:1)"),
        row("svc * @anyvm @default allow target=vault", "svc work", "allow target=vault (t.policy:1)"),
        row("svc * @anyvm @default allow target=vault", "svc work @default",
            "allow target=vault (t.policy:1)"),
        row("svc * @anyvm @default allow target=vault", "svc work personal", NO_MATCH),
        row("svc * @anyvm @dispvm allow", "svc work @dispvm", "allow target=@dispvm:dvm (t.policy:1)"),
        row("svc * @anyvm @dispvm allow", "svc vault @dispvm",
            "deny: allowed by t.policy:1, but vault has no default_dispvm for @dispvm"),
        row("svc * @anyvm @dispvm allow", "svc work @dispvm:dvm", NO_MATCH),
        row("svc * @anyvm @dispvm:dvm allow", "svc work @dispvm:dvm",
            "allow target=@dispvm:dvm (t.policy:1)"),
        row("svc * @anyvm @dispvm:dvm allow", "svc work @dispvm", "allow target=@dispvm:dvm (t.policy:1)"),
        row("svc * @anyvm @dispvm:dvm allow", "svc cloudy @dispvm", NO_MATCH),
        row("svc * @anyvm @dispvm:@tag:dvmtag allow", "svc work @dispvm:dvm",
            "allow target=@dispvm:dvm (t.policy:1)"),
        row("svc * @anyvm @dispvm:@tag:dvmtag allow", "svc work @dispvm", 
            "allow target=@dispvm:dvm (t.policy:1)"),
        row("svc * @anyvm @dispvm:@tag:dvmtag allow", "svc work @dispvm:dvm-aws", NO_MATCH),
        row("svc * @anyvm @tag:secret allow", "svc work vault", "allow target=vault (t.policy:1)"),
        row("svc * @anyvm @tag:secret allow", "svc work personal", NO_MATCH),
        row("svc * @anyvm @tag:dvmtag allow", "svc work @dispvm:dvm", NO_MATCH),
        row("svc * @anyvm @type:TemplateVM allow", "svc work fedora", "allow target=fedora (t.policy:1)"),
        row("svc * @anyvm @type:TemplateVM allow", "svc work personal", NO_MATCH),
        row("svc * @anyvm @type:AdminVM allow", "svc work dom0", NO_MATCH),
        row("svc * @anyvm @zone:aws allow", "svc work cloudy", "allow target=cloudy (t.policy:1)"),
        row("svc * @anyvm @zone:aws allow", "svc work @dispvm:dvm-aws",
            "allow target=@dispvm:dvm-aws (t.policy:1)"),
        row("svc * @anyvm @zone:aws allow", "svc cloudy @dispvm", "allow target=@dispvm:dvm-aws (t.policy:1)"),
        row("svc * @anyvm @zone:aws allow", "svc work @dispvm", NO_MATCH),
        row("svc * @anyvm @zone:aws allow", "svc work personal", NO_MATCH),
        row("svc * @anyvm personal allow", "svc work personal", "allow target=personal (t.policy:1)"),
        // ---- what the caller may name
        row("svc * @anyvm @anyvm allow", "svc work ghost", "deny: invalid target 'ghost': no such qube"),
        row("svc * @anyvm @anyvm allow", "svc work @anyvm", "deny: invalid target '@anyvm': no such qube"),
        row("svc * @anyvm @anyvm allow", "svc work @tag:work", "deny: invalid target '@tag:work': no such qube"),
        row("svc * @anyvm @anyvm allow", "svc work @dispvm:fedora",
            "deny: invalid target '@dispvm:fedora': not a template for disposables"),
        row("svc * @anyvm @anyvm allow", "svc ghost work", "deny: unknown source qube 'ghost'"),
        row("svc * @anyvm @anyvm allow", "svc work work",
            "deny: allowed by t.policy:1, but a qube cannot call itself"),
        // ---- deny and its parameter
        row("svc * @anyvm @anyvm deny", "svc work personal", "deny: denied by policy t.policy:1"),
        row("svc * @anyvm @anyvm deny notify=no", "svc work personal",
            "deny: denied by policy t.policy:1 (notify=no)"),
        row("svc * @anyvm @anyvm deny notify=yes", "svc work personal",
            "deny: denied by policy t.policy:1"),
        // ---- allow and its parameters
        row("svc * @anyvm work allow user=root notify=yes autostart=no", "svc cloudy work",
            "allow target=work user=root autostart=no notify=yes (t.policy:1)"),
        row("svc * @anyvm personal allow autostart=no", "svc work personal",
            "deny: t.policy:1 says autostart=no and personal is not running"),
        row("svc * @anyvm personal allow autostart=yes notify=no", "svc work personal",
            "allow target=personal (t.policy:1)"),
        row("svc * @anyvm @dispvm allow autostart=no", "svc work @dispvm",
            "deny: t.policy:1 says autostart=no and @dispvm:dvm is not running"),
        row("svc * @anyvm @anyvm allow target=vault", "svc work personal", "allow target=vault (t.policy:1)"),
        row("svc * @anyvm @default allow target=@dispvm", "svc work", "allow target=@dispvm:dvm (t.policy:1)"),
        row("svc * @anyvm @default allow target=@dispvm:dvm-aws", "svc work",
            "allow target=@dispvm:dvm-aws (t.policy:1)"),
        row("svc * @anyvm @default allow target=@adminvm", "svc work", "allow target=dom0 (t.policy:1)"),
        row("svc * @anyvm @default allow target=dom0", "svc work", "allow target=dom0 (t.policy:1)"),
        row("svc * @anyvm @anyvm allow target=ghost", "svc work personal",
            "deny: allowed by t.policy:1, but there is no qube ghost"),
        row("svc * @anyvm @anyvm allow target=@dispvm:fedora", "svc work personal",
            "deny: allowed by t.policy:1, but fedora is not a template for disposables"),
        row("svc * @anyvm @anyvm allow target=work", "svc work personal",
            "deny: allowed by t.policy:1, but a qube cannot call itself"),
        // ---- ask and its parameters
        row("svc * @anyvm @anyvm ask", "svc work personal", "ask targets=" + ALL_BUT_WORK + " (t.policy:1)"),
        row("svc * @anyvm @anyvm ask", "svc work", "ask targets=" + ALL_BUT_WORK + " (t.policy:1)"),
        row("svc * @anyvm @anyvm ask default_target=vault", "svc work personal",
            "ask targets=" + ALL_BUT_WORK + " default_target=vault (t.policy:1)"),
        row("svc * @anyvm @anyvm ask default_target=@dispvm", "svc work",
            "ask targets=" + ALL_BUT_WORK + " default_target=@dispvm:dvm (t.policy:1)"),
        row("svc * @anyvm @anyvm ask default_target=work", "svc work personal",
            "ask targets=" + ALL_BUT_WORK + " (t.policy:1)"),
        row("svc * @anyvm @anyvm ask target=vault default_target=vault", "svc work personal",
            "ask targets=vault default_target=vault (t.policy:1)"),
        row("svc * @anyvm @anyvm ask target=@dispvm user=user notify=yes", "svc work personal",
            "ask targets=@dispvm:dvm user=user notify=yes (t.policy:1)"),
        row("svc * @anyvm @anyvm ask target=ghost", "svc work personal",
            "deny: ask at t.policy:1, but no target to choose from"),
        row("svc * @anyvm @anyvm ask autostart=no", "svc work personal",
            "ask targets=cloudy,disp123,vault autostart=no (t.policy:1)"),
        row("svc * @anyvm @tag:secret deny\nsvc * @anyvm @anyvm ask", "svc work personal",
            "ask targets=" + ALL_BUT_WORK.replace(",vault", "") + " (t.policy:2)"),
        row("svc * work @tag:work ask\nsvc * work @type:TemplateVM ask", "svc work cloudy",
            "ask targets=cloudy,fedora (t.policy:1)"),
        row("svc * work @adminvm ask", "svc work dom0", "ask targets=dom0 (t.policy:1)"),
        row("svc * work @default ask\nsvc * work personal allow target=vault", "svc work",
            "ask targets=vault (t.policy:1)"),
        row("svc * work vault deny\nsvc * work @default ask\nsvc * work personal allow target=vault",
            "svc work", "deny: ask at t.policy:2, but no target to choose from"),
        row("svc * work @default ask\nsvc * work @dispvm:@tag:dvmtag ask", "svc work",
            "ask targets=@dispvm:dvm (t.policy:1)"),
        row("other * @anyvm @anyvm allow\nsvc * work @default ask", "svc work",
            "deny: ask at t.policy:2, but no target to choose from"),
        // ---- service and argument columns
        row("* * @anyvm @anyvm deny\nsvc * @anyvm @anyvm allow", "svc work personal",
            "deny: denied by policy t.policy:1"),
        row("other * @anyvm @anyvm allow", "svc work personal", NO_MATCH),
        row("svc +foo @anyvm @anyvm allow", "svc+foo work personal", "allow target=personal (t.policy:1)"),
        row("svc +foo @anyvm @anyvm allow", "svc+bar work personal", NO_MATCH),
        row("svc +foo @anyvm @anyvm allow", "svc work personal", NO_MATCH),
        row("svc + @anyvm @anyvm allow", "svc work personal", "allow target=personal (t.policy:1)"),
        row("svc + @anyvm @anyvm allow", "svc+ work personal", "allow target=personal (t.policy:1)"),
        row("svc + @anyvm @anyvm allow", "svc+x work personal", NO_MATCH),
        row("svc +a+b @anyvm @anyvm allow", "svc+a+b work personal", "allow target=personal (t.policy:1)"),
        // ---- order: first match wins, files in name order
        row("svc * @anyvm @anyvm deny\nsvc * @anyvm @anyvm allow", "svc work personal",
            "deny: denied by policy t.policy:1"),
        row("# comment\n\n   \t\nsvc * work personal allow\nsvc * @anyvm @anyvm deny", "svc work personal",
            "allow target=personal (t.policy:4)"),
        row("=== 20-b.policy\nsvc * @anyvm @anyvm allow\n=== 10-a.policy\nsvc * @anyvm @anyvm deny",
            "svc work personal", "deny: denied by policy 10-a.policy:1"),
        row("=== a.policy\nsvc * @anyvm @anyvm allow\n=== B.policy\nsvc * @anyvm @anyvm deny",
            "svc work personal", "deny: denied by policy B.policy:1"),
        row("=== README\nsvc * @anyvm @anyvm allow\n=== .hidden.policy\nsvc * @anyvm @anyvm allow\n"
            + "=== x.policy.bak\nsvc * @anyvm @anyvm allow", "svc work personal", NO_MATCH),
        row("  svc  *\t@anyvm   @anyvm\tallow  \r", "svc work personal", "allow target=personal (t.policy:1)"),
        // ---- include directives
        row("=== 50-a.policy\nsvc * work personal deny\n!include inc/rules\nsvc * @anyvm @anyvm deny\n"
            + "=== inc/rules\nsvc * @anyvm @anyvm allow", "svc personal work",
            "allow target=work (inc/rules:1)"),
        row("=== 50-a.policy\n!include ./inc/../inc/rules\n=== inc/rules\nsvc * @anyvm @anyvm allow",
            "svc personal work", "allow target=work (inc/rules:1)"),
        row("=== 50-a.policy\n!include-dir inc\n=== inc/b.policy\nsvc * @anyvm @anyvm allow\n"
            + "=== inc/a.policy\nsvc * @anyvm @anyvm deny\n=== inc/notes.txt\ngarbage",
            "svc work personal", "deny: denied by policy inc/a.policy:1"),
        row("=== 50-a.policy\n!include-service svc * inc/svc\n=== inc/svc\n# old-style\n"
            + "@anyvm @anyvm allow", "svc work personal", "allow target=personal (inc/svc:2)"),
        row("=== 50-a.policy\n!include-service svc * inc/svc\n=== inc/svc\n@anyvm @anyvm allow",
            "other work personal", NO_MATCH),
        row("=== 50-a.policy\n!include-service svc +x inc/svc\n=== inc/svc\n@anyvm @anyvm allow",
            "svc+x work personal", "allow target=personal (inc/svc:1)"),
        row("=== 50-a.policy\n!include-service svc +x inc/svc\n=== inc/svc\n@anyvm @anyvm allow",
            "svc work personal", NO_MATCH),
        row("=== 50-a.policy\n!include-service svc * inc/svc\n=== inc/svc\n!include inc/more\n"
            + "=== inc/more\n@anyvm @anyvm ask target=vault", "svc work personal",
            "ask targets=vault (inc/more:1)"),
        row("=== 50-a.policy\n!include-service * * inc/svc\n=== inc/svc\n@anyvm @anyvm deny notify=no",
            "anything work personal", "deny: denied by policy inc/svc:1 (notify=no)"),
        row("=== 10.policy\n!include common\n!include common\n=== common\nsvc * @anyvm vault deny",
            "svc work vault", "deny: denied by policy common:1"));
  }

  private static Arguments row(String policy, String call, String expected) {
    return Arguments.of(policy, call, expected);
  }

  @ParameterizedTest(name = "[{index}] {1} => {2}")
  @MethodSource("table")
  void decides(String policy, String call, String expected) {
    Decision d = Fixtures.parse(policy).evaluate(Fixtures.request(call), SYSTEM);
    assertThat(d.describe()).isEqualTo(expected);
  }
}
