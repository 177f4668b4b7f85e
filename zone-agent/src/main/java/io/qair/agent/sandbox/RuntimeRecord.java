package io.qair.agent.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What the backend started for one qube, written before it waits for the qube and removed after
 * it is cleaned up, so a restarted agent can re-adopt or clean up.
 *
 * @param pid the outer bwrap process (the agent's child)
 * @param startTicks its start time from {@code /proc/PID/stat}, so a recycled pid is not mistaken for it
 * @param oomKills the memory cgroup's OOM kill count at start
 */
record RuntimeRecord(String name, String klass, int uid, long pid, long startTicks, int memoryMb, long oomKills) {
  private static final ObjectMapper JSON = new ObjectMapper();

  void write(Path file) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }

  static Optional<RuntimeRecord> read(Path file) {
    try {
      return Optional.of(JSON.readValue(file.toFile(), RuntimeRecord.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** True if {@code pid} is still the process this record describes. */
  boolean alive() {
    return startTicks(pid) == startTicks;
  }

  /** Field 22 of {@code /proc/PID/stat}, or -1 if there is no such process. */
  static long startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return f[0].equals("Z") || f[0].equals("X") ? -1 : Long.parseLong(f[19]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
