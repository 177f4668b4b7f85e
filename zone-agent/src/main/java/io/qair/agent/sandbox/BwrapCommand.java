package io.qair.agent.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link SandboxPlan} into the command line that starts a qube.
 *
 * <p>The command runs as root in a private mount namespace ({@code unshare -m}) that only this
 * qube's processes share, so nothing it mounts is ever visible on the host and it vanishes with
 * the qube. A short shell script there: (1) moves itself into the qube's cgroups, so every later
 * process is limited from its first instruction; (2) opens the sources (template root, private
 * volume, socket directory, guest daemon) while still root, then stages them under a private tmpfs
 * on {@code /tmp}, which is reachable by the unprivileged uid even when the agent's data directory
 * is owner-only; (3) closes the source descriptors and execs {@code setpriv} to become the qube's
 * host uid with no capabilities, no supplementary groups and no_new_privs; (4) which execs
 * {@code bwrap} with new user, mount, PID, IPC, UTS, network and cgroup namespaces, the seccomp
 * program, uid 1000 inside, and the guest daemon as main process. The agent's process is the
 * outer bwrap from then on. No {@code --die-with-parent}: qubes outlive an agent restart and are
 * re-adopted.
 *
 * <p>Paths travel as positional arguments, never inside the script text.
 */
final class BwrapCommand {
  static final String STAGE = "/tmp/.qair";

  private static final String SCRIPT = String.join("\n",
      "set -e",
      "root=$1 home=$2 sock=$3 guest=$4 seccomp=$5 passwd=$6 group=$7",
      "shift 7",
      "for f in \"$@\"; do echo $$ > \"$f\"; done",
      "exec 3<\"$root\" 5<\"$sock\" 6<\"$guest\" 7<\"$seccomp\" 8<\"$passwd\" 9<\"$group\"",
      "if [ \"$home\" != - ]; then exec 4<\"$home\"; fi",
      "mount -t tmpfs -o mode=1777,size=256k,nosuid,nodev qair-stage /tmp",
      "mkdir -m 0755 " + STAGE + " " + STAGE + "/root " + STAGE + "/home " + STAGE + "/sock",
      ": > " + STAGE + "/guest",
      "mount --bind /proc/self/fd/3 " + STAGE + "/root",
      "mount --bind /proc/self/fd/5 " + STAGE + "/sock",
      "mount --bind /proc/self/fd/6 " + STAGE + "/guest",
      "if [ \"$home\" != - ]; then mount --bind /proc/self/fd/4 " + STAGE + "/home; exec 4<&-; fi",
      "exec 3<&- 5<&- 6<&-",
      "exec @EXEC@");

  private BwrapCommand() {}

  /** The full argv: {@code unshare ... sh -c SCRIPT ...}. */
  static List<String> command(SandboxPlan plan) {
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
        "/bin/sh", "-c", script(plan), "qair-sandbox"));
    cmd.add(plan.root().toString());
    cmd.add(plan.privateDir() == null ? "-" : plan.privateDir().toString());
    cmd.add(plan.socketDir().toString());
    cmd.add(plan.guestBinary().toString());
    cmd.add(plan.seccomp().toString());
    cmd.add(plan.passwd().toString());
    cmd.add(plan.group().toString());
    plan.cgroupProcs().forEach(p -> cmd.add(p.toString()));
    return cmd;
  }

  /** The script, with the setpriv and bwrap argv appended as quoted words. */
  static String script(SandboxPlan plan) {
    StringBuilder words = new StringBuilder();
    for (String w : privileged(plan)) {
      words.append(' ').append(quote(w));
    }
    return SCRIPT.replace("@EXEC@", words.toString().trim());
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
        "--ro-bind", STAGE + "/guest", SandboxLayout.GUEST_BINARY,
        "--ro-bind-data", "8", "/etc/passwd",
        "--ro-bind-data", "9", "/etc/group",
        "--seccomp", "7",
        "--chdir", "/home/user",
        "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", "/home/user",
        SandboxLayout.GUEST_BINARY, "-s", SandboxLayout.GUEST_SOCKET));
    return a;
  }

  /** Single-quotes a word for sh. */
  static String quote(String w) {
    if (!w.isEmpty() && w.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_=/.,:+".indexOf(c) >= 0)) {
      return w;
    }
    return "'" + w.replace("'", "'\\''") + "'";
  }
}
