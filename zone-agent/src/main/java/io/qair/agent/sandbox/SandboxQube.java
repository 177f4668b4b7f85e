package io.qair.agent.sandbox;

import io.qair.agent.guest.GuestSession;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.QubeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A qube the backend has started (or re-adopted) and not yet cleaned up. */
final class SandboxQube {
  final String name;
  final QubeClass klass;
  final int uid;
  final CgroupV1 cgroup;
  /** The agent's child (outer bwrap); null for a re-adopted qube, which is watched by pid. */
  volatile Process process;
  volatile RuntimeRecord record;
  volatile GuestSession session;
  volatile QubeState state = QubeState.STARTING;
  /** Set before the backend kills a qube on its own (out of memory): the CRASHED reason. */
  volatile String crashReason;
  final AtomicBoolean finishing = new AtomicBoolean();
  final CompletableFuture<QubeStatus> gone = new CompletableFuture<>();
  private final StringBuilder stderrTail = new StringBuilder();

  SandboxQube(String name, QubeClass klass, int uid, CgroupV1 cgroup) {
    this.name = name;
    this.klass = klass;
    this.uid = uid;
    this.cgroup = cgroup;
  }

  QubeStatus status() {
    return new QubeStatus(name, state.name(), null);
  }

  /** Keeps the last 2 KB the sandbox wrote on stderr, to explain a failed start. */
  void appendStderr(String text) {
    synchronized (stderrTail) {
      stderrTail.append(text);
      if (stderrTail.length() > 2048) {
        stderrTail.delete(0, stderrTail.length() - 2048);
      }
    }
  }

  String stderrTail() {
    synchronized (stderrTail) {
      return stderrTail.toString().strip();
    }
  }

  /** Reads the sandbox's stderr on a thread of its own, keeping the tail. */
  void drainStderr(InputStream err) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[1024];
      try (err) {
        for (int n = err.read(buf); n >= 0; n = err.read(buf)) {
          appendStderr(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // the sandbox is gone
      }
    }, "sandbox-stderr-" + name);
    t.setDaemon(true);
    t.start();
  }
}
