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
 */
final class BwrapCommand {
  static final String STAGE = "/tmp/.qair";

  private BwrapCommand() {}

  /** The full argv, launcher first. */
  static List<String> command(SandboxPlan plan) {
    List<String> cmd = new ArrayList<>();
    cmd.add(plan.launcher().toString());
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
    List<String> a = new ArrayList<>(List.of("setpriv", "--reuid=" + plan.uid(), "--regid=" + plan.uid(),
        "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"));
    a.addAll(bwrap(plan));
    return a;
  }

  static List<String> bwrap(SandboxPlan plan) {
    List<String> a = new ArrayList<>(List.of("bwrap",
        "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup",
        "--uid", "1000", "--gid", "1000", "--hostname", plan.hostname(), "--new-session",
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
        "--ro-bind", STAGE + "/guest", SandboxLayout.GUEST_BINARY,
        "--ro-bind-data", "8", "/etc/passwd",
        "--ro-bind-data", "9", "/etc/group",
        "--seccomp", "7",
        "--chdir", "/home/user",
        "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin:/run/qair/bin", "--setenv", "HOME", "/home/user",
        SandboxLayout.GUEST_BINARY, "-s", SandboxLayout.GUEST_SOCKET));
    return a;
  }
}
