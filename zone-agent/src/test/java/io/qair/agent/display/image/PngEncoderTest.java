package io.qair.agent.display.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngEncoderTest {
  @Test
  void aRegionRoundTripsExactlyThroughAPngDecoder() throws Exception {
    int w = 100;
    int h = 70;
    int[] fb = new int[w * h];
    Random r = new Random(1);
    for (int i = 0; i < fb.length; i++) {
      fb[i] = i % 7 == 0 ? 0xff000000 | r.nextInt(0xffffff) : 0xff3465a4 + (i / w);
    }
    byte[] png = new PngEncoder(1).encode(fb, w, 10, 5, 60, 40);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img.getWidth()).isEqualTo(60);
    assertThat(img.getHeight()).isEqualTo(40);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 60; x++) {
        assertThat(img.getRGB(x, y) & 0xffffff).as("pixel %d,%d", x, y).isEqualTo(fb[(y + 5) * w + x + 10] & 0xffffff);
      }
    }
  }

  @Test
  void flatContentIsPngAndNoiseIsJpeg() {
    int w = 256;
    int h = 256;
    int[] flat = new int[w * h];
    java.util.Arrays.fill(flat, 0xffcc0000);
    int[] noise = new int[w * h];
    Random r = new Random(2);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = 0xff000000 | r.nextInt(0xffffff);
    }
    ImageEncoder enc = new ImageEncoder(0.75f);
    assertThat(enc.encode(flat, w, 0, 0, w, h).mimetype()).isEqualTo("image/png");
    assertThat(enc.encode(noise, w, 0, 0, w, h).mimetype()).isEqualTo("image/jpeg");
    assertThat(enc.encode(noise, w, 0, 0, 32, 32).mimetype()).as("small: always PNG").isEqualTo("image/png");
  }
}
