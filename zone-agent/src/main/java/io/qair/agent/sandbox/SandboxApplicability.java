package io.qair.agent.sandbox;

import io.qair.agent.spi.Applicability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Can the sandbox backend run on this host? Every check explains what is missing. */
final class SandboxApplicability {
  private SandboxApplicability() {}

  static Applicability check() {
    List<String> problems = new ArrayList<>();
    if (!System.getProperty("os.name", "").equals("Linux") || !System.getProperty("os.arch", "").equals("amd64")) {
      problems.add("needs Linux on x86_64 (its seccomp filter is for x86_64), this is "
          + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
      return Applicability.no(String.join("; ", problems));
    }
    for (String tool : List.of("bwrap", "setpriv")) {
      if (which(tool) == null) {
        problems.add("'" + tool + "' is not installed (Debian: apt-get install "
            + (tool.equals("bwrap") ? "bubblewrap" : "util-linux") + ")");
      }
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      problems.add("the agent must run as root to create cgroups and give each qube its own uid"
          + " (it runs as " + System.getProperty("user.name") + ")");
    }
    String maxNs = read("/proc/sys/user/max_user_namespaces");
    if ("0".equals(maxNs)) {
      problems.add("user namespaces are disabled: set sysctl user.max_user_namespaces to a positive value");
    }
    if ("0".equals(read("/proc/sys/kernel/unprivileged_userns_clone"))) {
      problems.add("unprivileged user namespaces are disabled: set sysctl kernel.unprivileged_userns_clone=1");
    }
    for (String c : CgroupV1.CONTROLLERS) {
      Path dir = CgroupV1.ROOT.resolve(c);
      if (!Files.isRegularFile(dir.resolve("cgroup.procs"))) {
        problems.add("the cgroup v1 '" + c + "' controller is not mounted at " + dir
            + " (cgroup v2-only hosts are not supported yet)");
      } else if (!Files.isWritable(dir)) {
        problems.add("cannot create cgroups in " + dir + ": it is not writable");
      }
    }
    if (problems.isEmpty() && which("bwrap") != null) {
      String err = probeUserNamespace();
      if (err != null) {
        problems.add("bubblewrap cannot create a user namespace as an unprivileged user: " + err);
      }
    }
    return problems.isEmpty() ? Applicability.yes() : Applicability.no(String.join("; ", problems));
  }

  /** Runs a trivial sandbox as nobody, the way qubes are run. Null when it works. */
  private static String probeUserNamespace() {
    try {
      Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          "--no-new-privs", "bwrap", "--unshare-user", "--unshare-pid", "--unshare-net",
          "--ro-bind", "/", "/", "true")
          .redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "the probe did not finish in 10 s";
      }
      String out = new String(p.getInputStream().readNBytes(512)).strip();
      return p.exitValue() == 0 ? null : out;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  static Path which(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      return null;
    }
  }
}
