package io.qair.agent.display.rfb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real TigerVNC Xvnc on a free display number, listening only on a unix socket, for ITs; plus the
 * X clients tests start on it. {@link #close()} kills every process it started.
 */
final class XvncServer implements AutoCloseable {
  private final Path dir;
  private final int display;
  private final Process xvnc;
  private final List<Process> clients = new ArrayList<>();

  private XvncServer(Path dir, int display, Process xvnc) {
    this.dir = dir;
    this.display = display;
    this.xvnc = xvnc;
  }

  static XvncServer start(int width, int height) throws Exception {
    Path dir = Files.createTempDirectory("qair-rfb-it");
    for (int display = 57; display < 99; display++) {
      if (Files.exists(Path.of("/tmp/.X" + display + "-lock")) || Files.exists(Path.of("/tmp/.X11-unix/X" + display))) {
        continue;
      }
      Path socket = dir.resolve("rfb.sock");
      Process p = new ProcessBuilder("/usr/bin/Xvnc", ":" + display, "-rfbunixpath", socket.toString(),
          "-rfbport", "-1", "-nolisten", "tcp", "-SecurityTypes", "None", "-geometry", width + "x" + height,
          "-depth", "24")
          .redirectErrorStream(true).redirectOutput(dir.resolve("xvnc-" + display + ".log").toFile()).start();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (p.isAlive() && !Files.exists(socket) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (p.isAlive() && Files.exists(socket)) {
        return new XvncServer(dir, display, p);
      }
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    throw new IllegalStateException("no Xvnc could start on displays :57-:98; see logs in " + dir);
  }

  Path socket() {
    return dir.resolve("rfb.sock");
  }

  Path dir() {
    return dir;
  }

  String display() {
    return ":" + display;
  }

  /** Runs an X command on this display to completion. */
  void run(String... command) throws Exception {
    Process p = x(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  /** Starts an X client on this display; killed by {@link #close()}. */
  Process spawn(String... command) throws IOException {
    Process p = x(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    clients.add(p);
    return p;
  }

  String log() throws IOException {
    return Files.readString(dir.resolve("xvnc-" + display + ".log"));
  }

  private ProcessBuilder x(String... command) {
    ProcessBuilder b = new ProcessBuilder(command);
    Map<String, String> env = b.environment();
    env.put("DISPLAY", display());
    env.put("LANG", "C.UTF-8");
    env.put("LC_ALL", "C.UTF-8");
    return b;
  }

  @Override
  public void close() throws Exception {
    for (Process p : clients) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    xvnc.destroy();
    if (!xvnc.waitFor(5, TimeUnit.SECONDS)) {
      xvnc.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
