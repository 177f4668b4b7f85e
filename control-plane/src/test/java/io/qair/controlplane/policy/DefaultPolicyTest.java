package io.qair.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The policy qair ships: installed into a new directory only, and safe. */
class DefaultPolicyTest {
  private static final String ALL_BUT_WORK = "@dispvm:dvm,@dispvm:dvm-aws,cloudy,disp123,dvm,"
      + "dvm-aws,fedora,personal,standalone1,vault";

  @TempDir static Path shared;
  @TempDir Path dir;

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("qubes.Filecopy work personal", "ask targets=" + ALL_BUT_WORK
            + " (90-default.policy:5)"),
        Arguments.of("qubes.Filecopy work", "ask targets=" + ALL_BUT_WORK + " (90-default.policy:5)"),
        Arguments.of("qubes.Filecopy work dom0", "deny: no rule matched; denied by default"),
        Arguments.of("qubes.OpenURL work @dispvm", "allow target=@dispvm:dvm (90-default.policy:10)"),
        Arguments.of("qubes.OpenURL work personal", "ask targets=" + ALL_BUT_WORK
            + " (90-default.policy:11)"),
        Arguments.of("qubes.OpenInVM work @dispvm", "allow target=@dispvm:dvm (90-default.policy:8)"),
        Arguments.of("qubes.OpenInVM work @dispvm:dvm-aws", "ask targets=" + ALL_BUT_WORK
            + " (90-default.policy:9)"),
        Arguments.of("qubes.GetDate work dom0", "allow target=dom0 (90-default.policy:14)"),
        Arguments.of("qubes.GetDate work", "allow target=dom0 (90-default.policy:15)"),
        Arguments.of("qubes.GetDate work personal", "deny: no rule matched; denied by default"),
        Arguments.of("qubes.VMShell dom0 work", "allow target=work (90-default.policy:18)"),
        Arguments.of("qubes.VMShell work personal", "deny: denied by policy 90-default.policy:19"),
        Arguments.of("qubes.VMShell work dom0", "deny: no rule matched; denied by default"),
        Arguments.of("qubes.ClipboardPaste dom0 work", "allow target=work (90-default.policy:23)"),
        Arguments.of("qubes.ClipboardPaste work personal", "ask targets=" + ALL_BUT_WORK
            + " (90-default.policy:24)"),
        Arguments.of("qubes.Unknown work personal", "deny: no rule matched; denied by default"),
        Arguments.of("admin.vm.List work dom0", "deny: no rule matched; denied by default"));
  }

  @ParameterizedTest(name = "{0} => {1}")
  @MethodSource("table")
  void decides(String call, String expected) {
    PolicyStore.installDefaults(shared);
    PolicyStore store = PolicyStore.open(shared);
    assertThat(store.loadErrors()).isEmpty();
    assertThat(store.evaluate(Fixtures.request(call), Fixtures.SYSTEM).describe())
        .isEqualTo(expected);
  }

  @Test
  void installsIntoANewDirectoryOnly() throws IOException {
    Path fresh = dir.resolve("policy.d");
    assertThat(PolicyStore.installDefaults(fresh)).isTrue();
    assertThat(PolicyStore.open(fresh).list()).containsExactly("30-user", "90-default");
    Files.writeString(fresh.resolve("30-user.policy"), "# mine\n");
    assertThat(PolicyStore.installDefaults(fresh)).isFalse();
    assertThat(Files.readString(fresh.resolve("30-user.policy"))).isEqualTo("# mine\n");

    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("10-x.policy"), "");
    assertThat(PolicyStore.installDefaults(other)).isFalse();
    assertThat(PolicyStore.open(other).list()).containsExactly("10-x");
  }
}
