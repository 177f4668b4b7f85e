package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.qair.agent.display.x11.WindowPacker.Rect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowPackerTest {
  private static final int GAP = WindowPacker.DEFAULT_GAP;

  @Test
  void placesTopLeftFirstThenRightThenBelow() {
    WindowPacker p = new WindowPacker(1000, 800, GAP);
    assertThat(p.place(1, 400, 300)).contains(new Rect(0, 0, 400, 300));
    assertThat(p.place(2, 400, 300)).contains(new Rect(408, 0, 400, 300));
    assertThat(p.place(3, 400, 300)).contains(new Rect(0, 308, 400, 300));
    p.remove(1);
    assertThat(p.place(4, 300, 200)).contains(new Rect(0, 0, 300, 200));
  }

  @Test
  void shrinksWhenThereIsNoRoomAndRefusesWhenTheScreenIsFull() {
    WindowPacker p = new WindowPacker(1000, 800, GAP);
    assertThat(p.place(1, 5000, 5000)).contains(new Rect(0, 0, 1000, 800)); // bounded by the screen
    p.remove(1);
    assertThat(p.place(1, 1000, 500)).contains(new Rect(0, 0, 1000, 500));
    // 1000x500 does not fit in the 292 rows left below; shrunk by tenths, 500x250 does
    assertThat(p.place(2, 1000, 500)).contains(new Rect(0, 508, 500, 250));
    // fill the rest with minimum-sized windows until there is no room at all
    int id = 3;
    while (p.place(id, 2000, 2000).isPresent()) {
      id++;
    }
    assertNoCrowding(p.placements(), 1000, 800);
    assertThat(p.place(id, 10, 10)).isPresent(); // smaller than the minimum: still fits in a corner
    assertThat(p.place(id + 1, WindowPacker.MIN_WIDTH, WindowPacker.MIN_HEIGHT)).isEmpty();
  }

  @Test
  void resizesInPlaceWhenItFitsElseMoves() {
    WindowPacker p = new WindowPacker(1000, 800, GAP);
    p.place(1, 400, 300);
    p.place(2, 400, 300);
    assertThat(p.resize(1, 300, 200)).contains(new Rect(0, 0, 300, 200));
    // growing into window 2 moves it below
    assertThat(p.resize(1, 600, 300)).contains(new Rect(0, 308, 600, 300));
    assertThat(p.resize(9, 100, 100)).contains(new Rect(0, 0, 100, 100)); // not placed: placed
  }

  @Test
  void neverOverlapsOverManyRandomAddsRemovesAndResizes() {
    for (long seed = 1; seed <= 15; seed++) {
      Random random = new Random(seed);
      int width = 400 + random.nextInt(3500);
      int height = 300 + random.nextInt(2000);
      WindowPacker p = new WindowPacker(width, height, GAP);
      List<Integer> live = new ArrayList<>();
      int next = 1;
      for (int step = 0; step < 250; step++) {
        int op = random.nextInt(10);
        if (op < 5 || live.isEmpty()) {
          int w = 1 + random.nextInt(random.nextBoolean() ? 300 : width * 2);
          int h = 1 + random.nextInt(random.nextBoolean() ? 200 : height * 2);
          Optional<Rect> r = p.place(next, w, h);
          if (r.isPresent()) {
            assertThat(r.get().width()).isLessThanOrEqualTo(Math.min(w, width));
            assertThat(r.get().height()).isLessThanOrEqualTo(Math.min(h, height));
            live.add(next);
          } else {
            assertThat(p.placements()).doesNotContainKey(next);
          }
          next++;
        } else if (op < 8) {
          p.remove(live.remove(random.nextInt(live.size())));
        } else {
          int id = live.get(random.nextInt(live.size()));
          assertThat(p.resize(id, 1 + random.nextInt(width), 1 + random.nextInt(height))).isPresent();
        }
        assertNoCrowding(p.placements(), width, height);
        assertThat(p.placements().keySet()).containsExactlyInAnyOrderElementsOf(live);
      }
    }
  }

  private static void assertNoCrowding(Map<Integer, Rect> placed, int width, int height) {
    List<Rect> rects = List.copyOf(placed.values());
    for (int i = 0; i < rects.size(); i++) {
      Rect a = rects.get(i);
      if (a.x() < 0 || a.y() < 0 || a.x() + a.width() > width || a.y() + a.height() > height) {
        fail("%s is not inside %dx%d", a, width, height);
      }
      for (int j = i + 1; j < rects.size(); j++) {
        Rect b = rects.get(j);
        boolean apart = a.x() + a.width() + GAP <= b.x() || b.x() + b.width() + GAP <= a.x()
            || a.y() + a.height() + GAP <= b.y() || b.y() + b.height() + GAP <= a.y();
        if (!apart) {
          fail("%s and %s are less than %d px apart", a, b, GAP);
        }
      }
    }
  }
}
