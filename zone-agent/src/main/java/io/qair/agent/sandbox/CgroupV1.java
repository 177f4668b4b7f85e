package io.qair.agent.sandbox;

import io.qair.protocol.QairException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One qube's cgroup v1 directories, {@code /sys/fs/cgroup/CTRL/qair/ZONE/QUBE} for the memory,
 * pids, cpu and freezer controllers: limits, membership, OOM kills, and killing everything in it.
 */
final class CgroupV1 {
  static final Path ROOT = Path.of("/sys/fs/cgroup");
  static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu", "freezer");
  static final long CPU_PERIOD_US = 100_000;

  private final Path memory;
  private final Path pids;
  private final Path cpu;
  private final Path freezer;

  private CgroupV1(Path memory, Path pids, Path cpu, Path freezer) {
    this.memory = memory;
    this.pids = pids;
    this.cpu = cpu;
    this.freezer = freezer;
  }

  static CgroupV1 of(String zone, String qube) {
    return new CgroupV1(dir("memory", zone, qube), dir("pids", zone, qube), dir("cpu", zone, qube),
        dir("freezer", zone, qube));
  }

  static Path zoneDir(String controller, String zone) {
    return ROOT.resolve(controller).resolve("qair").resolve(zone);
  }

  private static Path dir(String controller, String zone, String qube) {
    return zoneDir(controller, zone).resolve(qube);
  }

  List<Path> dirs() {
    return List.of(memory, pids, cpu, freezer);
  }

  /** The {@code cgroup.procs} files a new process writes itself into before it execs. */
  List<Path> procsFiles() {
    List<Path> files = new ArrayList<>();
    for (Path d : dirs()) {
      files.add(d.resolve("cgroup.procs"));
    }
    return files;
  }

  /** Creates the directories and writes the limits. */
  void create(long memoryBytes, int vcpus, int maxPids) {
    try {
      for (Path d : dirs()) {
        Files.createDirectories(d);
      }
      write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
      Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
      if (Files.exists(memsw)) {
        write(memsw, Long.toString(memoryBytes));
      }
      write(memory.resolve("memory.swappiness"), "0");
      write(pids.resolve("pids.max"), Integer.toString(maxPids));
      write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
      write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(CPU_PERIOD_US * vcpus));
    } catch (IOException e) {
      throw QairException.unavailable("cannot set up the qube's cgroups under " + ROOT + ": " + e.getMessage(), e);
    }
  }

  /** Every process in the qube (the pids controller holds them all). */
  Set<Long> processes() {
    return readPids(pids.resolve("cgroup.procs"));
  }

  static Set<Long> readPids(Path procs) {
    Set<Long> out = new LinkedHashSet<>();
    try {
      for (String line : Files.readAllLines(procs)) {
        if (!line.isBlank()) {
          out.add(Long.parseLong(line.trim()));
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException | NumberFormatException e) {
      return out;
    }
    return out;
  }

  /** How many processes the kernel's OOM killer has killed in this qube. */
  long oomKills() {
    try {
      for (String line : Files.readAllLines(memory.resolve("memory.oom_control"))) {
        if (line.startsWith("oom_kill ")) {
          return Long.parseLong(line.substring(9).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  long memoryLimit() {
    try {
      return Long.parseLong(Files.readString(memory.resolve("memory.limit_in_bytes")).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Sends SIGTERM to every process in the qube except {@code spare}. */
  void terminate(long spare) {
    for (long pid : processes()) {
      if (pid != spare) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      }
    }
  }

  /** Freezes the qube (no more forks), SIGKILLs every process, thaws, waits until it is empty. */
  void killAll(long timeoutMillis) {
    if (processes().isEmpty()) {
      return;
    }
    Path state = freezer.resolve("freezer.state");
    boolean frozen = false;
    try {
      if (Files.exists(state)) {
        write(state, "FROZEN");
        frozen = true;
        long until = System.nanoTime() + 1_000_000_000L;
        while (!Files.readString(state).trim().equals("FROZEN") && System.nanoTime() < until) {
          Thread.onSpinWait();
          Thread.sleep(1);
        }
      }
    } catch (IOException e) {
      // killing without the freezer still works, only less reliably against fork bombs
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    do {
      for (long pid : processes()) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      if (frozen) {
        try {
          write(state, "THAWED");
        } catch (IOException e) {
          // the directory is gone: nothing left to thaw
        }
        frozen = false;
      }
      if (awaitEmpty(Math.min(200, timeoutMillis))) {
        return;
      }
    } while (System.nanoTime() < deadline);
  }

  /** Waits until no process is left, polling briefly; true if empty. */
  boolean awaitEmpty(long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    long sleep = 1;
    while (!processes().isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      sleep = Math.min(sleep * 2, 20);
    }
    return true;
  }

  /** Removes the directories (they must be empty of processes). */
  void remove() {
    for (Path d : dirs()) {
      removeDir(d);
      try {
        Files.deleteIfExists(d.getParent()); // the zone's directory, once its last qube is gone
      } catch (IOException e) {
        // other qubes of the zone still have theirs
      }
    }
  }

  static void removeDir(Path d) {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        Files.deleteIfExists(d);
        return;
      } catch (IOException e) {
        // EBUSY while the last process is being torn down: retry shortly
        try {
          Thread.sleep(2);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Qube names that have a cgroup directory in this zone (any controller). */
  static Set<String> existing(String zone) {
    Set<String> names = new LinkedHashSet<>();
    for (String c : CONTROLLERS) {
      Path z = zoneDir(c, zone);
      if (Files.isDirectory(z)) {
        try (Stream<Path> s = Files.list(z)) {
          s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
          // unreadable: nothing to report
        }
      }
    }
    return names;
  }

  private static void write(Path file, String value) throws IOException {
    Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
  }
}
