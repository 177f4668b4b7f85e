package io.qair.controlplane.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code qair zone create} shows while a zone is made: one line per step with the time since
 * the command started. On a terminal the current step's line counts up every second; otherwise
 * (a pipe, a log) each step is one plain line, printed when the step begins.
 */
final class ZoneProgress implements AutoCloseable {
  private final PrintWriter out;
  private final boolean terminal;
  private final String zone;
  private final long started = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private String current;

  ZoneProgress(PrintWriter out, boolean terminal, String zone) {
    this.out = out;
    this.terminal = terminal;
    this.zone = zone;
    this.ticker = terminal ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "qair-progress");
      t.setDaemon(true);
      return t;
    }) : null;
    if (terminal) {
      ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
    }
  }

  /** What a zone's state and step mean to the user; null when there is nothing new to say. */
  static String label(String state, String step) {
    return switch (state) {
      case "PENDING" -> "accepted";
      case "PROVISIONING" -> switch (step == null ? "" : step) {
        case "firewall" -> "creating firewall";
        case "launch" -> "launching instance";
        case "boot" -> "waiting for boot";
        case "restart" -> "starting over (the master restarted mid-way)";
        default -> "preparing";
      };
      case "ENROLLING" -> "complete".equals(step) ? "enrolling" : "installing agent";
      case "READY" -> "ready";
      case "FAILED" -> "failed";
      case "UNREACHABLE" -> "unreachable";
      case "REMOVING" -> "removing";
      default -> state.toLowerCase(Locale.ROOT);
    };
  }

  /** Shows the step if it is a new one. */
  synchronized void step(String label) {
    if (label == null || label.equals(current)) {
      return;
    }
    if (terminal && current != null) {
      out.print("\n");
    }
    current = label;
    if (terminal) {
      out.print("\r" + line(label));
    } else {
      out.println(line(label));
    }
    out.flush();
  }

  /** The last line: how the zone ended, with any detail (its address, the reason it failed). */
  synchronized void end(String label, String detail) {
    if (terminal && current != null) {
      out.print("\n");
    }
    current = null;
    out.println(zone + ": " + label + (detail == null ? "" : " " + detail) + elapsed());
    out.flush();
  }

  private synchronized void redraw() {
    if (current != null) {
      out.print("\r" + line(current));
      out.flush();
    }
  }

  private String line(String label) {
    return zone + ": " + label + elapsed();
  }

  private String elapsed() {
    return String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - started) / 1e9);
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
