package io.qair.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {
  private static final PolicyRequest WORK_TO_PERSONAL = Fixtures.request("svc work personal");

  @TempDir Path dir;

  private String decide(PolicyStore store) {
    return store.evaluate(WORK_TO_PERSONAL, Fixtures.SYSTEM).describe();
  }

  /** Every file in the directory and its content, to prove that nothing changed. */
  private List<String> snapshot() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted().toList()) {
        out.add(dir.relativize(p) + (Files.isRegularFile(p) ? "=" + Files.readString(p) : "/"));
      }
    }
    return out;
  }

  @Test
  void replaceWritesAndPutsInForce() throws IOException {
    PolicyStore store = PolicyStore.open(dir);
    assertThat(decide(store)).isEqualTo("deny: no rule matched; denied by default");
    store.replace("30-user", "svc * work personal allow\n");
    assertThat(decide(store)).isEqualTo("allow target=personal (30-user.policy:1)");
    assertThat(Files.readString(dir.resolve("30-user.policy"))).isEqualTo(
        "svc * work personal allow\n");
    assertThat(store.list()).containsExactly("30-user");
    assertThat(store.get("30-user")).isEqualTo("svc * work personal allow\n");
    assertThat(store.get("30-user.policy")).isEqualTo("svc * work personal allow\n");
  }

  @Test
  void aBadReplaceChangesNothing() throws IOException {
    PolicyStore store = PolicyStore.open(dir);
    store.replace("30-user", "svc * work personal allow\n");
    store.replace("40-more", "other * @anyvm @anyvm deny\n");
    Policy before = store.policy();
    List<String> files = snapshot();

    PolicyException e = catchThrowableOfType(
        () -> store.replace("30-user", "svc * work personal deny\nsvc * @foo @anyvm allow\nbad\n"),
        PolicyException.class);

    assertThat(e.getMessage()).isEqualTo("30-user.policy:2: invalid source '@foo': unknown keyword\n"
        + "30-user.policy:3: expected SERVICE ARGUMENT SOURCE TARGET ACTION [PARAM=VALUE...],"
        + " got 1 field");
    assertThat(store.policy()).isSameAs(before);
    assertThat(snapshot()).isEqualTo(files);
    assertThat(decide(store)).isEqualTo("allow target=personal (30-user.policy:1)");
  }

  @Test
  void anOversizedReplaceIsRefused() throws IOException {
    PolicyStore store = PolicyStore.open(dir);
    assertThatThrownBy(() -> store.replace("30-user", "#".repeat(PolicyLimits.MAX_FILE_BYTES + 1)))
        .isInstanceOf(PolicyException.class)
        .hasMessage("30-user.policy:0: the file is larger than 1048576 bytes");
    assertThatThrownBy(() -> store.replace("30-user",
        "#".repeat(PolicyLimits.MAX_FILE_BYTES - 1) + "\u00e9"))
        .hasMessage("30-user.policy:0: the file is larger than 1048576 bytes");
    assertThat(snapshot()).containsExactly("/");
  }

  @Test
  void aReplaceIsValidatedWithEveryOtherFile() throws IOException {
    Files.writeString(dir.resolve("10-main.policy"), "!include-service svc * inc\n");
    PolicyStore store = PolicyStore.open(dir);
    List<String> files = snapshot();
    // 10-main includes 'inc', which does not exist: a new unrelated file is refused too
    assertThatThrownBy(() -> store.replace("20-other", "x * @anyvm @anyvm deny\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessage("10-main.policy:1: cannot include 'inc': no such file");
    assertThat(snapshot()).isEqualTo(files);
  }

  @Test
  void removeRefusesToBreakAnInclude() throws IOException {
    PolicyStore store = PolicyStore.open(dir);
    store.replace("50-common", "svc * work personal allow\n");
    store.replace("10-main", "!include 50-common.policy\n");
    List<String> files = snapshot();
    assertThatThrownBy(() -> store.remove("50-common"))
        .hasMessage("10-main.policy:1: cannot include '50-common.policy': no such file");
    assertThat(snapshot()).isEqualTo(files);
    store.remove("10-main");
    store.remove("50-common");
    assertThat(store.list()).isEmpty();
    assertThat(decide(store)).isEqualTo("deny: no rule matched; denied by default");
    assertThatThrownBy(() -> store.remove("50-common")).isInstanceOf(QairException.class)
        .hasMessage("no policy file '50-common'")
        .extracting(t -> ((QairException) t).kind()).isEqualTo(ErrorKind.NOT_FOUND);
  }

  @Test
  void namesAreChecked() {
    PolicyStore store = PolicyStore.open(dir);
    for (String bad : new String[] {"../x", "a/b", ".hidden", "", "a b", "x".repeat(65), "é"}) {
      assertThatThrownBy(() -> store.replace(bad, "")).as(bad)
          .isInstanceOf(QairException.class)
          .hasMessageStartingWith("invalid policy name")
          .extracting(t -> ((QairException) t).kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    }
    assertThatThrownBy(() -> store.get("nope")).hasMessage("no policy file 'nope'");
  }

  @Test
  void aBrokenDirectoryStartsDenyingAllAndCanBeRepaired() throws IOException {
    Files.writeString(dir.resolve("30-user.policy"), "svc * work personal allow\nbroken\n");
    Files.writeString(dir.resolve("20-ok.policy"), "svc * work personal allow\n");
    PolicyStore store = PolicyStore.open(dir);
    assertThat(store.loadErrors()).extracting(PolicyError::toString).containsExactly(
        "30-user.policy:2: expected SERVICE ARGUMENT SOURCE TARGET ACTION [PARAM=VALUE...],"
            + " got 1 field");
    assertThat(decide(store)).isEqualTo("deny: no rule matched; denied by default");
    assertThat(store.check()).hasSize(1);

    store.replace("30-user", "svc * work personal deny\n");
    assertThat(store.loadErrors()).isEmpty();
    assertThat(store.check()).isEmpty();
    assertThat(decide(store)).isEqualTo("allow target=personal (20-ok.policy:1)");
  }

  @Test
  void reloadKeepsThePolicyWhenTheDiskIsBroken() throws IOException {
    PolicyStore store = PolicyStore.open(dir);
    store.replace("30-user", "svc * work personal allow\n");
    Files.writeString(dir.resolve("30-user.policy"), "svc * work personal allow\n!bad\n");
    assertThatThrownBy(store::reload).isInstanceOf(PolicyException.class).hasMessage(
        "30-user.policy:2: unknown directive '!bad': use !include, !include-dir or"
            + " !include-service");
    assertThat(decide(store)).isEqualTo("allow target=personal (30-user.policy:1)");
    Files.writeString(dir.resolve("30-user.policy"), "svc * work personal deny\n");
    store.reload();
    assertThat(decide(store)).isEqualTo("deny: denied by policy 30-user.policy:1");
  }

  @Test
  void linksOutOfTheDirectoryAreRefused() throws IOException {
    Path outside = Files.createTempFile("outside", ".policy");
    try {
      Files.writeString(outside, "svc * @anyvm @anyvm allow\n");
      Files.createSymbolicLink(dir.resolve("inc"), outside);
      assertThat(PolicyParser.check(PolicySource.directory(dir))).isEmpty();
      Files.writeString(dir.resolve("10-a.policy"), "!include inc\n");
      assertThat(PolicyParser.check(PolicySource.directory(dir))).extracting(Object::toString)
          .containsExactly("10-a.policy:1: path 'inc' escapes the policy directory");
      Files.delete(dir.resolve("10-a.policy"));
      Files.createSymbolicLink(dir.resolve("20-evil.policy"), outside);
      assertThat(PolicyParser.check(PolicySource.directory(dir))).extracting(Object::toString)
          .containsExactly("20-evil.policy:0: the file is a link out of the policy directory");
    } finally {
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void linksInsideTheDirectoryAreFollowed() throws IOException {
    Files.createDirectories(dir.resolve("rules"));
    Files.writeString(dir.resolve("rules/common"), "svc * work personal allow\n");
    Files.createSymbolicLink(dir.resolve("common"), dir.resolve("rules/common"));
    Files.writeString(dir.resolve("10-a.policy"), "!include common\n");
    assertThat(decide(PolicyStore.open(dir))).isEqualTo("allow target=personal (common:1)");
  }

  @Test
  void tempFilesAndOtherFilesAreIgnored() throws IOException {
    Files.writeString(dir.resolve(".30-user.policy.tmp-1234"), "garbage\n");
    Files.writeString(dir.resolve("30-user.policy~"), "garbage\n");
    Files.writeString(dir.resolve("README"), "garbage\n");
    PolicyStore store = PolicyStore.open(dir);
    assertThat(store.loadErrors()).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void concurrentReplacesNeverExposeABrokenPolicy() throws Exception {
    PolicyStore store = PolicyStore.open(dir);
    store.replace("30-user", "svc * work personal allow\n");
    AtomicBoolean stop = new AtomicBoolean();
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch started = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      started.countDown();
      while (!stop.get()) {
        seen.add(decide(store));
      }
    });
    reader.start();
    started.await();
    Thread[] writers = new Thread[4];
    for (int w = 0; w < writers.length; w++) {
      int n = w;
      writers[w] = new Thread(() -> {
        for (int i = 0; i < 25; i++) {
          try {
            store.replace("30-user", (i + n) % 2 == 0 ? "svc * work personal deny\n"
                : "svc * work personal allow\nbroken line\n");
          } catch (PolicyException expected) {
            // the broken text is refused
          }
        }
      });
      writers[w].start();
    }
    for (Thread t : writers) {
      t.join();
    }
    stop.set(true);
    reader.join();
    assertThat(seen).isNotEmpty().allMatch(s -> s.equals("allow target=personal (30-user.policy:1)")
        || s.equals("deny: denied by policy 30-user.policy:1"));
    assertThat(store.get("30-user")).isEqualTo("svc * work personal deny\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("30-user.policy");
    }
  }
}
