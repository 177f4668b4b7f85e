package io.qair.cloud.local;

import io.qair.protocol.QairException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts, finds and stops a local zone agent process. A pid read from a file is only acted on
 * when {@code /proc/PID/cmdline} shows it is our agent for this zone's data dir, so a recycled pid
 * is never signalled.
 */
final class AgentProcess {
  static final String LOG_FILE = "agent.log";
  static final String PORT_FILE = "agent.port";

  private AgentProcess() {}

  /** Starts {@code command} with output to the zone's log; waits for the agent to write its port. */
  static LaunchResult launch(List<String> command, Path zoneDir, Duration timeout) {
    Path portFile = zoneDir.resolve(PORT_FILE);
    try {
      Files.deleteIfExists(portFile);
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(zoneDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(zoneDir.resolve(LOG_FILE).toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<Integer> port = readPort(portFile);
        if (port.isPresent()) {
          return new LaunchResult(p.pid(), port.get());
        }
        if (p.waitFor(100, TimeUnit.MILLISECONDS)) {
          throw QairException.unavailable("the local zone agent exited with status " + p.exitValue()
              + " while starting: " + tail(zoneDir.resolve(LOG_FILE)), null);
        }
      }
      p.destroyForcibly();
      throw QairException.unavailable("the local zone agent did not start listening within "
          + timeout.toSeconds() + " s: " + tail(zoneDir.resolve(LOG_FILE)), null);
    } catch (IOException e) {
      throw QairException.unavailable("cannot start the local zone agent: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QairException.unavailable("interrupted while starting the local zone agent", e);
    }
  }

  record LaunchResult(long pid, int port) {}

  static Optional<Integer> readPort(Path portFile) {
    try {
      String s = Files.readString(portFile, StandardCharsets.US_ASCII).trim();
      int port = Integer.parseInt(s);
      return port > 0 && port < 65536 ? Optional.of(port) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The live process {@code pid}, if it is the agent started with {@code mainClass} for {@code zoneDir}. */
  static Optional<ProcessHandle> find(long pid, String mainClass, Path zoneDir) {
    if (pid <= 0) {
      return Optional.empty();
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (h.isEmpty()) {
      return h;
    }
    List<String> argv = cmdline(pid);
    return argv.contains(mainClass) && argv.contains(zoneDir.toAbsolutePath().toString()) ? h : Optional.empty();
  }

  static List<String> cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      List<String> out = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}. */
  static void stop(ProcessHandle h, Duration grace) {
    h.destroy();
    try {
      h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller's next describe()
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log)";
    }
  }
}
