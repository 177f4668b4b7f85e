package io.qair.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.qair.protocol.ErrorKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed policies and the exact errors they give, every error of every file. */
class PolicyParserErrorTest {
  private static final String RULE_COLUMNS = "expected SERVICE ARGUMENT SOURCE TARGET ACTION"
      + " [PARAM=VALUE...], got ";
  private static final String SOURCES = "use a qube name, @adminvm, @anyvm, @tag:TAG, @type:TYPE,"
      + " @zone:ZONE, @dispvm:NAME or @dispvm:@tag:TAG";
  private static final String REDIRECTS = "use a qube name, @adminvm, @dispvm or @dispvm:NAME";
  private static final String QUBE_NAME = "a qube name starts with a letter, uses only letters,"
      + " digits, '_', '.' and '-', is at most 31 characters, and is not 'none' or 'default'";

  static Stream<Arguments> table() {
    return Stream.of(
        // ---- columns
        row("svc * @anyvm", "t.policy:1: " + RULE_COLUMNS + "3 fields"),
        row("svc", "t.policy:1: " + RULE_COLUMNS + "1 field"),
        row("svc/x * @anyvm @anyvm allow",
            "t.policy:1: invalid service 'svc/x': use '*' or 1-64 letters, digits, '.', '_' or '-'"),
        row("svc+a * @anyvm @anyvm allow",
            "t.policy:1: invalid service 'svc+a': use '*' or 1-64 letters, digits, '.', '_' or '-'"),
        row("svc foo @anyvm @anyvm allow", "t.policy:1: invalid argument 'foo': use '*', '+' for no"
            + " argument, or '+' followed by up to 64 letters, digits, '.', '_', '-' or '+'"),
        row("* +x @anyvm @anyvm allow", "t.policy:1: argument must be '*' when service is '*'"),
        // ---- source
        row("svc * @default @anyvm allow",
            "t.policy:1: invalid source '@default': not allowed here; " + SOURCES),
        row("svc * @dispvm @anyvm allow",
            "t.policy:1: invalid source '@dispvm': not allowed here; " + SOURCES),
        row("svc * @foo @anyvm allow", "t.policy:1: invalid source '@foo': unknown keyword"),
        row("svc * @anyvmx @anyvm allow", "t.policy:1: invalid source '@anyvmx': unknown keyword"),
        row("svc * @tag @anyvm allow", "t.policy:1: invalid source '@tag': unknown keyword"),
        row("svc * @tag: @anyvm allow", "t.policy:1: invalid source '@tag:': nothing after '@tag:'"),
        row("svc * @tag:a! @anyvm allow",
            "t.policy:1: invalid source '@tag:a!': a tag is 1-64 letters, digits, '_' or '-'"),
        row("svc * @type:NetVM @anyvm allow", "t.policy:1: invalid source '@type:NetVM': a type is"
            + " AppVM, TemplateVM, DispVM, StandaloneVM or AdminVM"),
        row("svc * @zone:AWS @anyvm allow", "t.policy:1: invalid source '@zone:AWS': a zone name"
            + " starts with a lower-case letter, uses only lower-case letters, digits and '-', and is"
            + " at most 31 characters"),
        row("svc * 1abc @anyvm allow", "t.policy:1: invalid source '1abc': " + QUBE_NAME),
        row("svc * @dispvm: @anyvm allow",
            "t.policy:1: invalid source '@dispvm:': nothing after '@dispvm:'"),
        row("svc * @dispvm:@foo @anyvm allow",
            "t.policy:1: invalid source '@dispvm:@foo': unknown keyword"),
        row("svc * @dispvm:@tag: @anyvm allow",
            "t.policy:1: invalid source '@dispvm:@tag:': nothing after '@dispvm:@tag:'"),
        // ---- target
        row("svc * @anyvm @tag:x/y allow",
            "t.policy:1: invalid target '@tag:x/y': a tag is 1-64 letters, digits, '_' or '-'"),
        row("svc * @anyvm none allow", "t.policy:1: invalid target 'none': " + QUBE_NAME),
        row("svc * @anyvm @default allow",
            "t.policy:1: allow for target @default needs a target= parameter"),
        // ---- action and parameters
        row("svc * @anyvm @anyvm permit",
            "t.policy:1: invalid action 'permit': use allow, deny or ask"),
        row("svc * @anyvm @anyvm deny target=work",
            "t.policy:1: 'target=' is not allowed with deny"),
        row("svc * @anyvm @anyvm deny user=root", "t.policy:1: 'user=' is not allowed with deny"),
        row("svc * @anyvm @anyvm deny autostart=no",
            "t.policy:1: 'autostart=' is not allowed with deny"),
        row("svc * @anyvm @anyvm deny default_target=work",
            "t.policy:1: 'default_target=' is not allowed with deny; it goes only with ask"),
        row("svc * @anyvm @anyvm allow default_target=work",
            "t.policy:1: 'default_target=' is not allowed with allow; it goes only with ask"),
        row("svc * @anyvm @anyvm allow target=@anyvm",
            "t.policy:1: invalid target= value '@anyvm': not allowed here; " + REDIRECTS),
        row("svc * @anyvm @anyvm allow target=@tag:x",
            "t.policy:1: invalid target= value '@tag:x': not allowed here; " + REDIRECTS),
        row("svc * @anyvm @anyvm ask target=@default",
            "t.policy:1: invalid target= value '@default': not allowed here; " + REDIRECTS),
        row("svc * @anyvm @anyvm ask target=@zone:aws",
            "t.policy:1: invalid target= value '@zone:aws': not allowed here; " + REDIRECTS),
        row("svc * @anyvm @anyvm ask default_target=@dispvm:@tag:x",
            "t.policy:1: invalid default_target= value '@dispvm:@tag:x': not allowed here; "
                + REDIRECTS),
        row("svc * @anyvm @anyvm allow target=", "t.policy:1: invalid target= value '': empty"),
        row("svc * @anyvm @anyvm allow notify=maybe",
            "t.policy:1: invalid notify= value 'maybe': use yes or no"),
        row("svc * @anyvm @anyvm ask autostart=1",
            "t.policy:1: invalid autostart= value '1': use yes or no"),
        row("svc * @anyvm @anyvm allow user=r:t", "t.policy:1: invalid user= value 'r:t': a user"
            + " name is 1-32 letters, digits, '_', '.' or '-', not starting with '.' or '-'"),
        row("svc * @anyvm @anyvm allow user=root user=admin",
            "t.policy:1: parameter 'user' given twice"),
        row("svc * @anyvm @anyvm allow foo=bar", "t.policy:1: unknown parameter 'foo': use target=,"
            + " default_target=, user=, notify= or autostart="),
        row("svc * @anyvm @anyvm allow target",
            "t.policy:1: invalid parameter 'target': use NAME=VALUE"),
        row("svc * @anyvm @anyvm allow =x", "t.policy:1: invalid parameter '=x': use NAME=VALUE"),
        row("svc * @anyvm @anyvm allow # no inline comments",
            "t.policy:1: invalid parameter '#': use NAME=VALUE\n"
                + "t.policy:1: invalid parameter 'no': use NAME=VALUE\n"
                + "t.policy:1: invalid parameter 'inline': use NAME=VALUE\n"
                + "t.policy:1: invalid parameter 'comments': use NAME=VALUE"),
        // ---- every error of a line, of a file, of every file
        row("svc * @foo @bar permit", "t.policy:1: invalid source '@foo': unknown keyword\n"
            + "t.policy:1: invalid target '@bar': unknown keyword\n"
            + "t.policy:1: invalid action 'permit': use allow, deny or ask"),
        row("svc * @anyvm @anyvm allow\nbad\n# fine\nsvc * @anyvm @anyvm nope",
            "t.policy:2: " + RULE_COLUMNS + "1 field\n"
                + "t.policy:4: invalid action 'nope': use allow, deny or ask"),
        row("=== 10-a.policy\nx\n=== 20-b.policy\ny\n=== 30-c.policy\nsvc * @anyvm @anyvm allow",
            "10-a.policy:1: " + RULE_COLUMNS + "1 field\n20-b.policy:1: " + RULE_COLUMNS + "1 field"),
        // ---- characters and lengths
        row("svc * w\u00f6rk @anyvm allow", "t.policy:1: invalid character at column 8: rules and"
            + " directives use printable ASCII only"),
        row("svc * work\u0000 @anyvm allow", "t.policy:1: invalid character at column 11: rules and"
            + " directives use printable ASCII only"),
        row("# comments may say anything: w\u00f6rk \u2603\nsvc * @anyvm @anyvm allow\u000b",
            "t.policy:2: invalid character at column 26: rules and directives use printable ASCII"
                + " only"),
        row("svc * @anyvm @anyvm allow user=" + "u".repeat(2100),
            "t.policy:1: the line is longer than 2048 characters"),
        row("=== bad name.policy\nsvc * @anyvm @anyvm allow",
            "bad name.policy:0: invalid file name: use only letters, digits, '_', '.' and '-'"),
        // ---- directives
        row("!include", "t.policy:1: !include takes 1 parameter (a file), got 0"),
        row("!include a b", "t.policy:1: !include takes 1 parameter (a file), got 2"),
        row("!include-dir", "t.policy:1: !include-dir takes 1 parameter (a directory), got 0"),
        row("!include-service svc *",
            "t.policy:1: !include-service takes 3 parameters (SERVICE ARGUMENT FILE), got 2"),
        row("!frobnicate x",
            "t.policy:1: unknown directive '!frobnicate': use !include, !include-dir or"
                + " !include-service"),
        row("!include /etc/passwd",
            "t.policy:1: invalid path '/etc/passwd': use a path relative to the policy directory"),
        row("!include ../x", "t.policy:1: path '../x' escapes the policy directory"),
        row("!include a/../../x", "t.policy:1: path 'a/../../x' escapes the policy directory"),
        row("!include-dir ..", "t.policy:1: path '..' escapes the policy directory"),
        row("!include a/./.", "t.policy:1: cannot include 'a': no such file"),
        row("!include .", "t.policy:1: invalid path '.': it names the policy directory itself"),
        row("!include a*b", "t.policy:1: invalid path 'a*b': use letters, digits, '_', '.', '+',"
            + " '-' and '/'"),
        row("!include missing", "t.policy:1: cannot include 'missing': no such file"),
        row("!include-dir missing",
            "t.policy:1: cannot include directory 'missing': no such directory"),
        row("!include inc\n=== inc/x.policy\nsvc * @anyvm @anyvm allow",
            "t.policy:1: cannot include 'inc': it is a directory (use !include-dir)"),
        row("!include-service svc/x * inc\n=== inc\n@anyvm @anyvm allow",
            "t.policy:1: invalid service 'svc/x': use '*' or 1-64 letters, digits, '.', '_' or '-'"),
        row("!include-service * +a inc\n=== inc\n@anyvm @anyvm allow",
            "t.policy:1: argument must be '*' when service is '*'"),
        row("!include-service svc * inc\n=== inc\n@anyvm\n!include-dir d\n!include-service a * b\n"
            + "svc * @anyvm @anyvm allow",
            "inc:1: expected SOURCE TARGET ACTION [PARAM=VALUE...], got 1 field\n"
                + "inc:2: !include-dir is not allowed in a file included by !include-service\n"
                + "inc:3: !include-service is not allowed in a file included by !include-service\n"
                + "inc:4: invalid target '*': " + QUBE_NAME + "\n"
                + "inc:4: invalid action '@anyvm': use allow, deny or ask\n"
                + "inc:4: invalid parameter '@anyvm': use NAME=VALUE\n"
                + "inc:4: invalid parameter 'allow': use NAME=VALUE"),
        row("=== a.policy\n!include a.policy", "a.policy:1: include cycle: a.policy -> a.policy"),
        row("=== a.policy\n!include b\n=== b\n# b\n!include c\n=== c\n!include b",
            "c:1: include cycle: a.policy -> b -> c -> b"),
        row("=== a.policy\n!include-dir d\n=== d/x.policy\n!include-dir d",
            "d/x.policy:1: include cycle: a.policy -> d/ -> d/x.policy -> d/"),
        row("=== a.policy\n!include-service svc * s\n=== s\n!include s",
            "s:1: include cycle: a.policy -> s -> s"),
        row("=== a.policy\n!include-dir d\n=== d/bad name.policy\nx",
            "d/bad name.policy:0: invalid file name: use only letters, digits, '_', '.' and '-'"),
        row("=== a.policy\n!include i\n=== i\nsvc * @anyvm @anyvm allow\nbroken",
            "i:2: " + RULE_COLUMNS + "1 field"));
  }

  private static Arguments row(String policy, String errors) {
    return Arguments.of(policy, errors);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("table")
  void reportsEveryError(String policy, String expected) {
    PolicyException e = catchThrowableOfType(() -> Fixtures.parse(policy), PolicyException.class);
    assertThat(e).as("policy should be rejected").isNotNull();
    assertThat(e.getMessage()).isEqualTo(expected);
    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    assertThat(e.errors()).hasSize(expected.split("\n").length);
  }

  @Test
  void boundsIncludeDepth() {
    StringBuilder tree = new StringBuilder("=== a.policy\n!include i0\n");
    for (int i = 0; i < 20; i++) {
      tree.append("=== i").append(i).append("\n!include i").append(i + 1).append('\n');
    }
    tree.append("=== i20\nsvc * @anyvm @anyvm allow\n");
    PolicyException e =
        catchThrowableOfType(() -> Fixtures.parse(tree.toString()), PolicyException.class);
    assertThat(e.getMessage()).isEqualTo("i14:1: includes nested deeper than 16 levels");
  }

  @Test
  void boundsFileSize() {
    String big = "# " + "x".repeat(PolicyLimits.MAX_FILE_BYTES) + "\n";
    PolicyException e = catchThrowableOfType(() -> PolicyParser.parseText("big.policy", big),
        PolicyException.class);
    assertThat(e.getMessage()).isEqualTo("big.policy:0: the file is larger than 1048576 bytes");
  }

  @Test
  void boundsRuleCount() {
    String rules = "svc * @anyvm @anyvm deny\n".repeat(35_000);
    PolicyException e = catchThrowableOfType(() -> PolicyParser.parse(PolicySource.of(
        java.util.Map.of("a.policy", rules, "b.policy", rules, "c.policy", rules))),
        PolicyException.class);
    assertThat(e.getMessage()).isEqualTo("c.policy:30001: more than 100000 rules");
  }

  @Test
  void boundsErrorCount() {
    PolicyException e = catchThrowableOfType(() -> PolicyParser.parseText("t.policy",
        "x\n".repeat(500)), PolicyException.class);
    assertThat(e.errors()).hasSize(PolicyLimits.MAX_ERRORS);
    assertThat(e.errors().get(PolicyLimits.MAX_ERRORS - 1).toString())
        .isEqualTo("t.policy:100: too many errors; stopped after 99");
  }

  @Test
  void anEmptyDirectoryIsAValidPolicyThatDeniesEverything() {
    Policy p = PolicyParser.parse(PolicySource.of(java.util.Map.of()));
    assertThat(p.ruleCount()).isZero();
    assertThat(p.evaluate(Fixtures.request("svc work personal"), Fixtures.SYSTEM).describe())
        .isEqualTo("deny: no rule matched; denied by default");
  }
}
