package io.qair.agent.display.rfb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what an RfbClient reports, with a snapshot of the framebuffer at each update. */
final class RecordingRfbListener implements RfbListener {
  record Update(List<RfbChange> changes, int width, int height, int[] pixels) {
    int pixel(int x, int y) {
      return pixels[y * width + x];
    }
  }

  record Cursor(int hotX, int hotY, int width, int height, int[] argb) {}

  final LinkedBlockingQueue<Update> updates = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<String> cutTexts = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<Cursor> cursors = new LinkedBlockingQueue<>();
  final List<int[]> resizes = new ArrayList<>();
  final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
  volatile Framebuffer framebuffer;

  @Override
  public void onOpen(RfbClient client) {
    framebuffer = client.framebuffer();
  }

  @Override
  public void onUpdate(List<RfbChange> changes) {
    Framebuffer fb = framebuffer;
    updates.add(new Update(List.copyOf(changes), fb.width(), fb.height(), fb.pixels().clone()));
  }

  @Override
  public synchronized void onResize(int width, int height) {
    resizes.add(new int[] {width, height});
  }

  @Override
  public void onCursor(int hotX, int hotY, int width, int height, int[] argb) {
    cursors.add(new Cursor(hotX, hotY, width, height, argb));
  }

  @Override
  public void onServerCutText(String text) {
    cutTexts.add(text);
  }

  @Override
  public void onClosed(Throwable causeOrNull) {
    closed.complete(Optional.ofNullable(causeOrNull));
  }

  Update nextUpdate() throws InterruptedException {
    Update u = updates.poll(10, TimeUnit.SECONDS);
    if (u == null) {
      throw new AssertionError("no update within 10 s; closed: " + closed.getNow(null));
    }
    return u;
  }

  /** Why the client closed (empty: closed by its owner). */
  Optional<Throwable> awaitClosed() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }
}
