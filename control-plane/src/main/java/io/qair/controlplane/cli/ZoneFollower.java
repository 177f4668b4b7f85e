package io.qair.controlplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows one zone on the master's event stream ({@code GET /api/v1/events}, only events whose
 * subject is the zone) in a thread of its own, showing each new step, until the zone is READY,
 * FAILED or removed. Started before the zone is created, so no step is missed.
 */
final class ZoneFollower {
  private final AdminClient api;
  private final String zone;
  private final ZoneProgress progress;
  private final CountDownLatch open = new CountDownLatch(1);
  private final CountDownLatch end = new CountDownLatch(1);
  /** state and reason of the event that ended it. */
  private final AtomicReference<String[]> last = new AtomicReference<>();
  private final Thread thread;

  ZoneFollower(AdminClient api, String zone, ZoneProgress progress) {
    this.api = api;
    this.zone = zone;
    this.progress = progress;
    this.thread = new Thread(this::run, "qair-zone-follower");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Waits (a few seconds at most) until the master answered the stream request. */
  void awaitOpen() throws InterruptedException {
    open.await(10, TimeUnit.SECONDS);
  }

  /** The state and reason the zone ended in, or null if it did not within {@code seconds}. */
  String[] awaitEnd(long seconds) throws InterruptedException {
    return end.await(seconds, TimeUnit.SECONDS) ? last.get() : null;
  }

  /** Whether this event ends the zone's creation: READY, FAILED or removed. */
  static boolean isEnd(JsonNode event) {
    String state = event.path("data").path("state").asText("");
    return event.path("type").asText().equals("zone-removed") || state.equals("READY") || state.equals("FAILED");
  }

  private void run() {
    try {
      api.stream("/api/v1/events", Map.of(), open::countDown, e -> {
        JsonNode n;
        try {
          n = api.json().readTree(e[2]);
        } catch (IOException x) {
          return true;
        }
        if (!zone.equals(n.path("subject").asText()) || !n.path("type").asText().startsWith("zone-")) {
          return true;
        }
        String state = n.path("data").path("state").asText(null);
        if (isEnd(n)) {
          last.set(new String[] {state == null ? "REMOVED" : state, n.path("data").path("reason").asText(null)});
          end.countDown();
          return false;
        }
        if (state != null) {
          progress.step(ZoneProgress.label(state, n.path("data").path("step").asText(null)));
        }
        return true;
      });
    } catch (RuntimeException e) {
      // the stream broke: the caller asks the master for the zone's state
    } finally {
      open.countDown();
      if (last.get() == null) {
        last.set(new String[] {null, null});
      }
      end.countDown();
    }
  }
}
