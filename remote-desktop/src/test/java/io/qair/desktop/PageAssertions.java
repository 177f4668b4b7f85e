package io.qair.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.protocol.Label;
import java.awt.image.BufferedImage;
import org.openqa.selenium.Rectangle;

/** Checks on screenshots of the desktop page. */
final class PageAssertions {
  private PageAssertions() {}

  /** Border (5 px) and title bar (24 px) pixels of the window at {@code r} are exactly the label colour. */
  static void frameIs(BufferedImage shot, Rectangle r, Label label) {
    int x = r.getX(), y = r.getY(), w = r.getWidth(), hh = r.getHeight();
    int[][] points = {
        {x + 1, y + hh / 2}, {x + 3, y + 40}, {x + w - 2, y + hh / 2}, {x + w / 2, y + hh - 2}, {x + w / 2, y + 1},
        {x + 7, y + 5 + 12}, {x + 5 + 2, y + 5 + 2}, {x + w - 60, y + 5 + 23}};
    for (int[] p : points) {
      assertThat(rgb(shot, p[0], p[1])).as("frame pixel at %d,%d of %s", p[0], p[1], label).isEqualTo(label.color());
    }
  }

  static String rgb(BufferedImage img, int x, int y) {
    return String.format("#%06x", img.getRGB(x, y) & 0xffffff);
  }
}
