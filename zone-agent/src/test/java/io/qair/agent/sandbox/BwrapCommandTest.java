package io.qair.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BwrapCommandTest {
  private static SandboxPlan plan(Path privateDir, boolean writable) {
    return new SandboxPlan(Path.of("/g/qair-sandbox"), "work", 200007, Path.of("/t/debian 12/root"), writable, privateDir,
        Path.of("/d/run/sock/work"), Path.of("/g/qair-guest"), Path.of("/d/run/seccomp.bpf"),
        Path.of("/d/run/passwd"), Path.of("/d/run/group"),
        List.of(Path.of("/sys/fs/cgroup/memory/qair/z/work/cgroup.procs"), Path.of("/sys/fs/cgroup/pids/qair/z/work/cgroup.procs")),
        List.of("/var/tmp", "/var/log"));
  }

  @Test
  void appVmGetsAllNamespacesReadOnlyRootPrivateHomeAndDropsToItsUid() {
    SandboxPlan p = plan(Path.of("/d/qubes/work/private"), false);
    List<String> bwrap = BwrapCommand.bwrap(p);
    assertThat(bwrap).containsSubsequence("--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--unshare-net", "--unshare-cgroup");
    assertThat(String.join(" ", bwrap))
        .contains("--unshare-user --uid 1000 --gid 1000 --unshare-pid")
        .contains("--unshare-cgroup --hostname work")
        .contains("--ro-bind /tmp/.qair/root / ")
        .contains("--tmpfs /var/tmp --tmpfs /var/log --tmpfs /home --bind /tmp/.qair/home /home/user")
        .contains("--ro-bind /tmp/.qair/sock /run/qair --bind-try /tmp/.qair/sock/x11 /tmp/.X11-unix"
            + " --ro-bind /tmp/.qair/guest /run/qair-guest")
        .contains("--seccomp 7")
        .endsWith("/run/qair-guest -s /run/qair/agent.sock")
        .doesNotContain("--die-with-parent")
        .doesNotContain("--share-net");
    assertThat(BwrapCommand.privileged(p).subList(0, 8)).containsExactly("setpriv", "--reuid=200007", "--regid=200007",
        "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "bwrap");
  }

  @Test
  void launcherGetsThePathsAndCgroupsThenTheUnprivilegedCommand() {
    SandboxPlan p = plan(Path.of("/d/qubes/work/private"), false);
    List<String> cmd = BwrapCommand.command(p);
    assertThat(cmd.subList(0, 11)).containsExactly("/g/qair-sandbox", "/t/debian 12/root", "/d/qubes/work/private",
        "/d/run/sock/work", "/g/qair-guest", "/d/run/seccomp.bpf", "/d/run/passwd", "/d/run/group",
        "/sys/fs/cgroup/memory/qair/z/work/cgroup.procs", "/sys/fs/cgroup/pids/qair/z/work/cgroup.procs", "--");
    assertThat(cmd.subList(11, cmd.size())).isEqualTo(BwrapCommand.privileged(p));
  }

  @Test
  void disposableHomeIsATmpfsAndTemplateRootIsWritable() {
    String disp = String.join(" ", BwrapCommand.bwrap(plan(null, false)));
    assertThat(disp).contains("--perms 0700 --tmpfs /home/user").doesNotContain("/tmp/.qair/home");
    assertThat(BwrapCommand.command(plan(null, false)).get(2)).isEqualTo("-");
    String template = String.join(" ", BwrapCommand.bwrap(plan(Path.of("/p"), true)));
    assertThat(template).contains("--bind /tmp/.qair/root / ").doesNotContain("--ro-bind /tmp/.qair/root");
  }

  @Test
  void templateVmJoinsTheRangeMappedNamespaceAsRootWithFewCapabilitiesAndItsOwnPasswd() {
    SandboxPlan t = new SandboxPlan(Path.of("/g/qair-sandbox"), "debian-12", 266536 + 1000, Path.of("/t/debian-12/root"), true,
        Path.of("/d/qubes/debian-12/private"), Path.of("/d/run/sock/debian-12"), Path.of("/g/qair-guest"),
        Path.of("/d/run/seccomp.bpf"), Path.of("/d/run/passwd"), Path.of("/d/run/group"),
        List.of(Path.of("/sys/fs/cgroup/pids/qair/z/debian-12/cgroup.procs")), List.of(), 266536, false);
    List<String> cmd = BwrapCommand.command(t);
    assertThat(cmd.subList(0, 4)).containsExactly("/g/qair-sandbox", "-u", "266536", "/t/debian-12/root");
    assertThat(BwrapCommand.privileged(t).subList(0, 3)).containsExactly("setpriv", "--reuid=266536", "--regid=266536");
    String bwrap = String.join(" ", BwrapCommand.bwrap(t));
    assertThat(bwrap).startsWith("bwrap --userns 6 --uid 0 --gid 0 --cap-add CAP_CHOWN")
        .contains("--unshare-pid --unshare-ipc --unshare-uts --unshare-net --unshare-cgroup")
        .contains("--bind /tmp/.qair/root / ").contains("--seccomp 7")
        .doesNotContain("--unshare-user").doesNotContain("/etc/passwd")
        .doesNotContain("CAP_SYS_ADMIN").doesNotContain("CAP_NET_ADMIN").doesNotContain("CAP_NET_RAW")
        .doesNotContain("CAP_DAC_READ_SEARCH").doesNotContain("CAP_MKNOD").doesNotContain("CAP_SYS_PTRACE");
    SandboxPlan net = new SandboxPlan(t.launcher(), t.hostname(), t.uid(), t.root(), true, t.privateDir(), t.socketDir(),
        t.guestBinary(), t.seccomp(), t.passwd(), t.group(), t.cgroupProcs(), t.tmpfsDirs(), t.rootUid(), true);
    assertThat(BwrapCommand.bwrap(net)).doesNotContain("--unshare-net").contains("--unshare-pid");
    assertThat(BwrapCommand.bwrap(plan(Path.of("/p"), false))).contains("--unshare-user", "--unshare-net", "/etc/passwd")
        .doesNotContain("--userns", "--cap-add");
  }
}
