package io.qair.agent.sandbox;

import java.nio.file.Path;

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
}
