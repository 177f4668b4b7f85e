package io.qair.agent.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link SandboxPlan} into the command line that starts a qube:
 *
 * <pre>qair-sandbox ROOT HOME|- SOCKDIR GUEST SECCOMP PASSWD GROUP CGROUP_PROCS... -- setpriv ... bwrap ... qair-guest</pre>
 *
 * <p>The launcher {@code qair-sandbox} ({@code src/main/c/qair-sandbox.c}) runs as root: it joins the
 * qube's cgroups, so every later process is limited from its first instruction; opens the sources
 * (template root, private volume, socket directory, guest daemon) while still root and stages them
 * under a tmpfs on {@code /tmp} in a mount namespace that only this qube's processes share (so the
 * unprivileged uid can reach them even when the agent's data directory is owner-only, and the host
 * never sees a qube mount); and execs {@code setpriv}, which becomes the qube's host uid with no
 * capabilities, no supplementary groups and no_new_privs and execs {@code bwrap} with new user,
 * mount, PID, IPC, UTS, network and cgroup namespaces, the seccomp program, uid 1000 inside, and the
 * guest daemon as main process. The agent's child process is the outer bwrap from then on. No
 * {@code --die-with-parent}: qubes outlive an agent restart and are re-adopted.
 *
 * <p>A TemplateVM ({@link SandboxPlan#hasRoot()}) differs in its user namespace only: the launcher
 * ({@code -u ROOTUID}) makes one that maps inside uids and gids 0-65535 onto the template's host
 * range, setpriv drops to the range's first uid (inside root), bwrap joins that namespace
 * ({@code --userns 6}) as uid 0 and keeps {@link #ROOT_CAPABILITIES} for the guest daemon, which
 * drops to uid 1000 for every command not asked for as root. Its own {@code /etc/passwd} and
 * {@code /etc/group} stay visible (packages add system users), and with {@code net=host} it shares
 * the host's network namespace.
 */
final class BwrapCommand {
  static final String STAGE = "/tmp/.qair";
  /**
   * What root in a TemplateVM may do, within its own user namespace only: own, read and write the
   * template's files (dpkg, apt), change to other uids (apt's _apt, maintainer scripts), signal
   * its processes, bind low ports, chroot. Not CAP_SYS_ADMIN, NET_ADMIN, NET_RAW, MKNOD,
   * SYS_PTRACE, DAC_READ_SEARCH (open_by_handle_at) or anything else.
   */
  static final List<String> ROOT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
      "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT");

  private BwrapCommand() {}

  /** The full argv, launcher first. */
  static List<String> command(SandboxPlan plan) {
    List<String> cmd = new ArrayList<>();
    cmd.add(plan.launcher().toString());
    if (plan.hasRoot()) {
      cmd.add("-u");
      cmd.add(Integer.toString(plan.rootUid()));
    }
    cmd.add(plan.root().toString());
    cmd.add(plan.privateDir() == null ? "-" : plan.privateDir().toString());
    cmd.add(plan.socketDir().toString());
    cmd.add(plan.guestBinary().toString());
    cmd.add(plan.seccomp().toString());
    cmd.add(plan.passwd().toString());
    cmd.add(plan.group().toString());
    plan.cgroupProcs().forEach(p -> cmd.add(p.toString()));
    cmd.add("--");
    cmd.addAll(privileged(plan));
    return cmd;
  }

  /** setpriv (drop to the qube uid) followed by bwrap and the guest daemon. */
  static List<String> privileged(SandboxPlan plan) {
    int outer = plan.hasRoot() ? plan.rootUid() : plan.uid();
    List<String> a = new ArrayList<>(List.of("setpriv", "--reuid=" + outer, "--regid=" + outer,
        "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"));
    a.addAll(bwrap(plan));
    return a;
  }

  static List<String> bwrap(SandboxPlan plan) {
    List<String> a = new ArrayList<>(List.of("bwrap"));
    if (plan.hasRoot()) {
      a.addAll(List.of("--userns", "6", "--uid", "0", "--gid", "0"));
      for (String cap : ROOT_CAPABILITIES) {
        a.addAll(List.of("--cap-add", cap));
      }
    } else {
      a.addAll(List.of("--unshare-user", "--uid", "1000", "--gid", "1000"));
    }
    a.addAll(List.of("--unshare-pid", "--unshare-ipc", "--unshare-uts"));
    if (!plan.hostNetwork()) {
      a.add("--unshare-net");
    }
    a.addAll(List.of("--unshare-cgroup", "--hostname", plan.hostname(), "--new-session",
        plan.rootWritable() ? "--bind" : "--ro-bind", STAGE + "/root", "/",
        "--proc", "/proc", "--dev", "/dev",
        "--perms", "1777", "--tmpfs", "/tmp",
        "--tmpfs", "/run"));
    for (String d : plan.tmpfsDirs()) {
      a.addAll(List.of("--tmpfs", d));
    }
    a.addAll(List.of("--tmpfs", "/home"));
    if (plan.privateDir() == null) {
      a.addAll(List.of("--perms", "0700", "--tmpfs", "/home/user"));
    } else {
      a.addAll(List.of("--bind", STAGE + "/home", "/home/user"));
    }
    a.addAll(List.of(
        "--ro-bind", STAGE + "/sock", "/run/qair",
        // a GUI qube's X sockets (run/sock/NAME/x11, the qube's own): absent for a qube without a display
        "--bind-try", STAGE + "/sock/" + QubeDisplays.DIR, "/tmp/.X11-unix",
        "--ro-bind", STAGE + "/guest", SandboxLayout.GUEST_BINARY));
    if (!plan.hasRoot()) {
      a.addAll(List.of("--ro-bind-data", "8", "/etc/passwd", "--ro-bind-data", "9", "/etc/group"));
    }
    a.addAll(List.of("--seccomp", "7",
        "--chdir", "/home/user",
        "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin:/run/qair/bin", "--setenv", "HOME", "/home/user",
        SandboxLayout.GUEST_BINARY, "-s", SandboxLayout.GUEST_SOCKET));
    return a;
  }
}
