package io.qair.agent.sandbox;

import io.qair.protocol.QairException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the sandbox backend keeps things. Everything is created by the agent (root); only
 * {@code qubes/NAME/private} belongs to the qube's uid, and the qube cannot replace that entry
 * because its parent is the agent's.
 *
 * <pre>
 * dataDir/qubes/NAME/uid          the qube's host uid
 * dataDir/qubes/NAME/private/     its persistent private volume (/home/user), uid-owned, 0700
 * dataDir/qubes/NAME/root/        a StandaloneVM's own root
 * dataDir/run/NAME.json           runtime record of a running qube (crash recovery)
 * dataDir/run/sock/NAME/agent.sock  the agent's socket, seen in the qube as /run/qair/agent.sock
 * dataDir/run/sock/NAME/bin, rpc    links to run/share: /run/qair/bin and /run/qair/rpc in the qube
 * dataDir/run/share/bin, rpc        qrexec tools and standard services ({@link GuestShare})
 * dataDir/run/seccomp.bpf, passwd, group   shared read-only inputs of every sandbox
 * templatesDir/NAME/root          a template's root filesystem
 * </pre>
 */
record SandboxLayout(Path dataDir, Path templatesDir) {
  static final String GUEST_SOCKET = "/run/qair/agent.sock";
  static final String GUEST_BINARY = "/run/qair-guest";

  Path qubesDir() {
    return dataDir.resolve("qubes");
  }

  Path qubeDir(String name) {
    return qubesDir().resolve(name);
  }

  Path privateDir(String name) {
    return qubeDir(name).resolve("private");
  }

  Path standaloneRoot(String name) {
    return qubeDir(name).resolve("root");
  }

  Path runDir() {
    return dataDir.resolve("run");
  }

  Path record(String name) {
    return runDir().resolve(name + ".json");
  }

  Path socketDir(String name) {
    return runDir().resolve("sock").resolve(name);
  }

  Path share() {
    return runDir().resolve("share");
  }

  Path socket(String name) {
    return socketDir(name).resolve("agent.sock");
  }

  Path seccomp() {
    return runDir().resolve("seccomp.bpf");
  }

  Path passwd() {
    return runDir().resolve("passwd");
  }

  Path group() {
    return runDir().resolve("group");
  }

  Path templateRoot(String template) {
    return templatesDir.resolve(template).resolve("root");
  }


  /**
   * The guest daemon: the configured file, else {@code -Dqair.guest.binary}, else {@code guest/qair-guest}
   * next to (or one level above) the agent's jar or classes directory, else {@code /usr/lib/qair/qair-guest}.
   */
  static Path guestBinary(Path configured) {
    List<Path> candidates = new ArrayList<>();
    if (configured != null) {
      candidates.add(configured);
    } else {
      String prop = System.getProperty("qair.guest.binary");
      if (prop != null) {
        candidates.add(Path.of(prop));
      }
      try {
        Path code = Path.of(SandboxLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        candidates.add(code.resolveSibling("guest").resolve("qair-guest"));
        candidates.add(code.getParent().resolveSibling("guest").resolve("qair-guest"));
      } catch (java.net.URISyntaxException | RuntimeException e) {
        // no code source: only the other places
      }
      candidates.add(Path.of("/usr/lib/qair/qair-guest"));
    }
    for (Path c : candidates) {
      if (Files.isRegularFile(c) && Files.isExecutable(c)) {
        return c.toAbsolutePath();
      }
    }
    throw QairException.unavailable("the guest daemon qair-guest is missing (looked at " + candidates
        + "): build zone-agent (mvn -pl zone-agent package) or pass --guest-binary", null);
  }
}
