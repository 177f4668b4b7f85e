package io.qair.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.controlplane.api.TestMaster;
import io.qair.controlplane.api.WithTestMaster;
import io.qair.protocol.QubeClass;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class QairCliTest extends WithTestMaster {



  record Result(int exit, String out, String err) {}

  private Result qair(String... args) {
    return qairWith(m.token, null, args);
  }

  private Result qairWith(String token, String stdin, String... args) {
    return execute(m.cliEnv(token, stdin == null ? null : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(), new ByteArrayOutputStream()), args);
  }

  private static Result execute(CliEnv env, String... args) {
    int exit = QairCli.commandLine(env).execute(args);
    return new Result(exit, TestMaster.utf8((ByteArrayOutputStream) env.stdout()),
        TestMaster.utf8((ByteArrayOutputStream) env.stderr()));
  }

  private static void assertError(Result r, int exit, String message) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.err()).startsWith("qair: ").contains(message).endsWith("\n");
    assertThat(r.err().strip()).doesNotContain("\n");
  }

  @Test
  void createListAndRemoveQubes() throws Exception {
    Result created = qair("qube", "create", "work", "--label", "blue", "--mem", "800");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("work HALTED\n");
    Result ls = qair("qube", "ls");
    assertThat(ls.out().lines().toList()).containsExactly(
        "NAME       CLASS       STATE   ZONE   LABEL  TEMPLATE   NETVM",
        "debian-12  TemplateVM  HALTED  local  black  -          -",
        "work       AppVM       HALTED  local  blue   debian-12  -");
    JsonNode json = new ObjectMapper().readTree(qair("qube", "ls", "-o", "json").out());
    assertThat(json).extracting(q -> q.path("name").asText()).containsExactly("debian-12", "work");
    assertThat(json.get(1).path("memory").asInt()).isEqualTo(800);
    assertThat(qair("qube", "rm", "work").exit()).isZero();
    assertThat(m.store.qube("work")).isEmpty();
  }

  @Test
  void badInputGivesOneLineAndTheExitCodeOfItsKind() {
    assertError(qair("qube", "create", "9lives", "--label", "red"), 3, "invalid qube name '9lives'");
    assertError(qair("qube", "create", "work", "--label", "pink"), 3, "unknown label 'pink'");
    assertError(qair("qube", "create", "work", "--label", "red", "--mem", "10"), 3, "field 'memory' must be at least 64");
    assertThat(qair("qube", "create", "work", "--label", "red").exit()).isZero();
    assertError(qair("qube", "create", "work", "--label", "red"), 5, "qube 'work' already exists");
    assertError(qair("qube", "start", "ghost"), 4, "qube 'ghost' not found");
    assertError(qair("qube", "prefs", "work", "zone", "aws1"), 3, "property 'zone' is read-only");
  }

  @Test
  void usageErrorsExitWith2() {
    assertError(qair(), 2, "a command is required");
    assertError(qair("qube", "create", "work"), 2, "Missing required option: '--label=L'");
    assertError(qair("qube", "frobnicate"), 2, "Unmatched argument");
    assertError(qair("qube", "tags", "work", "paint", "x"), 2, "unknown action 'paint'");
    assertError(qair("run", "work"), 2, "a command is required after --");
  }

  @Test
  void aMissingOrWrongTokenExitsWith6() {
    assertError(qairWith(null, null, "qube", "ls"), 6, "no Admin API token");
    assertError(qairWith("wrong", null, "qube", "ls"), 6, "the bearer token is not valid");
  }

  @Test
  void aMasterThatIsDownExitsWith7() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI down = URI.create("https://127.0.0.1:" + port);
    CliEnv env = new CliEnv(down, m.token, tmp.resolve("none"), m.caPem(), new ByteArrayInputStream(new byte[0]),
        false, new ByteArrayOutputStream(), new ByteArrayOutputStream());
    Result r = execute(env, "qube", "ls");
    assertThat(r.exit()).isEqualTo(7);
    assertThat(r.err()).isEqualTo("qair: master not reachable at " + down + ": start it with `./qair up`\n");
  }

  @Test
  void runStreamsOutputAndPropagatesTheExitCode() {
    assertThat(qair("qube", "create", "work", "--label", "red").exit()).isZero();
    Result echo = qair("run", "work", "--", "echo", "hello", "world");
    assertThat(echo.exit()).as(echo.err()).isZero();
    assertThat(echo.out()).isEqualTo("hello world\n");
    assertThat(qair("run", "work", "--", "exit", "3").exit()).isEqualTo(3);
    Result fail = qair("run", "work", "--", "fail", "boom");
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.err()).isEqualTo("boom");
    Result cat = qairWith(m.token, "piped input\n", "run", "work", "--", "cat");
    assertThat(cat.out()).isEqualTo("piped input\n");
    assertError(qair("run", "ghost", "--", "echo"), 4, "qube 'ghost' not found");
  }

  @Test
  void runAsRootOnlyInATemplateVm() {
    assertThat(qair("qube", "create", "work", "--label", "red").exit()).isZero();
    Result root = qair("run", "debian-12", "--user", "root", "--", "whoami");
    assertThat(root.exit()).as(root.err()).isZero();
    assertThat(root.out()).isEqualTo("root\n");
    assertThat(qair("run", "debian-12", "--", "whoami").out()).isEqualTo("user\n");
    assertThat(qair("run", "debian-12", "-u", "user", "--", "whoami").out()).isEqualTo("user\n");
    assertError(qair("run", "work", "--user", "root", "--", "whoami"), 126, "has no root user: only a TemplateVM does");
    assertError(qair("run", "--dispvm", "-u", "root", "--", "whoami"), 126, "a disposable has no root user");
    assertError(qair("run", "work", "--user", "admin", "--", "whoami"), 2, "--user is 'user' or 'root'");
  }

  @Test
  void runRelaysMegabytesIntactBothWays() {
    assertThat(qair("qube", "create", "work", "--label", "red").exit()).isZero();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < 3_000_000; i++) {
      sb.append("line ").append(i).append('\n');
    }
    Result cat = qairWith(m.token, sb.toString(), "run", "work", "--", "cat");
    assertThat(cat.exit()).as(cat.err()).isZero();
    assertThat(cat.out()).hasSize(sb.length()).isEqualTo(sb.toString());
  }

  @Test
  void runInADisposable() throws Exception {
    Result r = qair("run", "--dispvm", "--", "echo", "from", "a", "disposable");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("from a disposable\n");
    Result t = qair("run", "--dispvm=debian-12", "--", "exit", "9");
    assertThat(t.exit()).isEqualTo(9);
    assertError(qair("run", "--dispvm=arch", "--", "echo"), 126, "unknown template 'arch'");
    long end = System.currentTimeMillis() + 10_000;
    while (m.store.qubes().stream().anyMatch(q -> q.klass() == QubeClass.DispVM) && System.currentTimeMillis() < end) {
      Thread.sleep(20);
    }
    assertThat(m.store.qubes()).noneMatch(q -> q.klass() == QubeClass.DispVM);
    assertThat(m.runtime.removed).hasSize(2);
  }

  @Test
  void startShutdownPrefsTagsAndFeatures() {
    assertThat(qair("qube", "create", "work", "--label", "red").exit()).isZero();
    assertThat(qair("qube", "start", "work").out()).isEqualTo("work RUNNING\n");
    assertError(qair("qube", "start", "work"), 5, "already running");
    assertThat(qair("qube", "shutdown", "work", "--force").out()).isEqualTo("work HALTED\n");
    assertThat(qair("qube", "prefs", "work", "memory", "1024").exit()).isZero();
    assertThat(qair("qube", "prefs", "work", "memory").out()).isEqualTo("1024\n");
    assertThat(qair("qube", "prefs", "work").out()).contains("memory=1024\n", "label=red\n", "netvm=\n");
    assertThat(qair("qube", "prefs", "work", "memory", "--reset").out()).isEqualTo("400\n");
    assertThat(qair("qube", "tags", "work", "add", "office", "mail").exit()).isZero();
    assertThat(qair("qube", "tags", "work").out()).isEqualTo("mail\noffice\n");
    assertThat(qair("qube", "tags", "work", "rm", "mail").exit()).isZero();
    assertThat(qair("qube", "tags", "work").out()).isEqualTo("office\n");
    assertThat(qair("qube", "features", "work", "set", "gui", "1").exit()).isZero();
    assertThat(qair("qube", "features", "work", "get", "gui").out()).isEqualTo("1\n");
    assertThat(qair("qube", "features", "work").out()).isEqualTo("gui=1\n");
    assertThat(qair("qube", "features", "work", "rm", "gui").exit()).isZero();
    assertError(qair("qube", "features", "work", "get", "gui"), 4, "has no feature 'gui'");
  }

  @Test
  void zonesTemplatesLabelsStatusAndEvents() {
    Result created = qair("zone", "create", "aws1", "--provider", "aws", "--region", "eu-west-1", "--opt", "type=t3.small");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("aws1: ready at 127.0.0.1:1 (");
    assertThat(qair("zone", "ls").out()).contains("aws1   aws       eu-west-1  READY").contains("local  local");
    assertError(qair("zone", "rm", "local"), 5, "still has 1 qube(s)");
    assertThat(qair("zone", "rm", "aws1").exit()).isZero();
    assertThat(qair("template", "ls").out()).contains("debian-12  TemplateVM");
    assertThat(qair("label", "ls").out()).contains("red     #cc0000");
    assertThat(qair("status").out()).contains("(reachable)", "qubes: 1 (0 running)", "local  READY  local");
    Result events = qair("events", "--since", "0", "--max", "3");
    assertThat(events.exit()).as(events.err()).isZero();
    assertThat(events.out().lines().toList()).containsExactly(
        "1 zone-created local provider=local state=PENDING",
        "2 zone-state local state=READY",
        "3 qube-created debian-12 klass=TemplateVM zone=local label=black");
  }

  @Test
  void everyCommandHasHelp() {
    List<String[]> paths = new ArrayList<>();
    collect(QairCli.commandLine(m.cliEnv(m.token, null, new ByteArrayOutputStream(), new ByteArrayOutputStream())),
        new ArrayList<>(), paths);
    assertThat(paths.size()).isGreaterThan(20);
    for (String[] p : paths) {
      Result r = qair(p);
      assertThat(r.exit()).as(String.join(" ", p)).isZero();
      assertThat(r.out()).as(String.join(" ", p)).contains("Usage: qair");
    }
  }

  private static void collect(CommandLine cmd, List<String> prefix, List<String[]> out) {
    List<String> help = new ArrayList<>(prefix);
    help.add("--help");
    out.add(help.toArray(String[]::new));
    cmd.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> p = new ArrayList<>(prefix);
        p.add(name);
        collect(sub, p, out);
      }
    });
  }

  @Test
  void policyFilesAreListedShownReplacedAndABrokenReplaceChangesNothing() throws Exception {
    assertThat(qair("policy", "ls").out()).isEqualTo("30-user\n90-default\n");
    Result ok = qairWith(m.token, "qubes.Filecopy * work personal allow\n", "policy", "replace", "30-user");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(qair("policy", "show", "30-user").out()).isEqualTo("qubes.Filecopy * work personal allow\n");
    Result bad = qairWith(m.token, "qubes.Filecopy * @foo personal allow\nqubes.Filecopy * work\n",
        "policy", "replace", "30-user");
    assertThat(bad.exit()).isEqualTo(3);
    assertThat(bad.err()).contains("30-user.policy:1: invalid source '@foo'").contains("30-user.policy:2: ");
    assertThat(qair("policy", "show", "30-user").out()).isEqualTo("qubes.Filecopy * work personal allow\n");
    assertThat(qair("policy", "check").out()).isEqualTo("policy OK\n");
    assertThat(qair("qube", "create", "work", "--label", "red").exit()).isZero();
    assertThat(qair("qube", "create", "personal", "--label", "red").exit()).isZero();
    assertThat(qair("policy", "eval", "qubes.Filecopy", "work", "personal").out())
        .isEqualTo("allow target=personal (30-user.policy:1)\n");
    assertThat(qair("policy", "rm", "30-user").exit()).isZero();
    assertThat(qair("policy", "eval", "qubes.Filecopy+x", "work", "personal").out()).startsWith("ask targets=@dispvm:debian-12,debian-12,personal (90-default.policy:");
    assertError(qair("policy", "show", "30-user"), 4, "no policy file '30-user'");
  }

  @Test
  void pendingAsksAreListedAndAnswered() throws Exception {
    assertThat(qair("qube", "create", "work", "--label", "red").exit()).isZero();
    assertThat(qair("qube", "create", "personal", "--label", "red").exit()).isZero();
    var s = m.server.services();
    var call = io.qair.controlplane.policy.PolicyRequest.ofCall("qubes.Filecopy", "work", "personal");
    var first = s.asks().submit(call, s.policy().evaluate(call, s.systemInfo()));
    var second = s.asks().submit(call, s.policy().evaluate(call, s.systemInfo()));
    String ls = qair("policy", "ask", "ls").out();
    assertThat(ls).startsWith("ID").contains(first.ask().id()).contains("qubes.Filecopy  work    personal");
    assertError(qair("policy", "ask", "allow", first.ask().id(), "--target", "dom0"), 3, "not an allowed target");
    assertError(qair("policy", "ask", "allow", first.ask().id()), 3, "choose a target");
    Result allowed = qair("policy", "ask", "allow", first.ask().id(), "--target", "personal");
    assertThat(allowed.out()).startsWith("allow target=personal");
    assertThat(first.outcome().get().target()).isEqualTo("personal");
    assertThat(qair("policy", "ask", "deny", second.ask().id()).out()).startsWith("deny: denied by the user");
    assertThat(second.outcome().get().action()).isEqualTo(io.qair.controlplane.policy.PolicyAction.DENY);
    assertError(qair("policy", "ask", "deny", second.ask().id()), 4, "no pending question");
  }
}
