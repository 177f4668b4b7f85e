package io.qair.agent.display.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes a region of the framebuffer as PNG (text, flat UI: lossless and small) or JPEG (photos,
 * video, gradients: many distinct colours), chosen by content. One per encoding thread.
 */
public final class ImageEncoder {
  /** An encoded region. */
  public record Encoded(String mimetype, byte[] data) {}

  /** Below this area PNG always wins (JPEG's 8x8 blocks and headers cost more than they save). */
  static final int MIN_JPEG_AREA = 64 * 64;
  /** Distinct colours in a sample of the region above which it is treated as photographic. */
  static final int PHOTO_COLOURS = 512;

  private final PngEncoder png = new PngEncoder(1);
  private final float jpegQuality;
  private final int[] seen = new int[4096];

  public ImageEncoder(float jpegQuality) {
    this.jpegQuality = jpegQuality;
  }

  public Encoded encode(int[] argb, int stride, int x, int y, int w, int h) {
    if (w * h >= MIN_JPEG_AREA && photographic(argb, stride, x, y, w, h)) {
      return new Encoded("image/jpeg", jpeg(argb, stride, x, y, w, h));
    }
    return new Encoded("image/png", png.encode(argb, stride, x, y, w, h));
  }

  /** Samples up to 4096 pixels on a grid; counts distinct colours with a small open-addressing set. */
  boolean photographic(int[] argb, int stride, int x, int y, int w, int h) {
    java.util.Arrays.fill(seen, -1);
    int stepX = Math.max(1, w / 64);
    int stepY = Math.max(1, h / 64);
    int distinct = 0;
    for (int yy = y; yy < y + h; yy += stepY) {
      int base = yy * stride;
      for (int xx = x; xx < x + w; xx += stepX) {
        int c = argb[base + xx] & 0xffffff;
        int slot = (c * 0x9E3779B1) >>> 20;
        while (true) {
          if (seen[slot] == c) {
            break;
          }
          if (seen[slot] == -1) {
            seen[slot] = c;
            if (++distinct > PHOTO_COLOURS) {
              return true;
            }
            break;
          }
          slot = (slot + 1) & 4095;
        }
      }
    }
    return false;
  }

  private byte[] jpeg(int[] argb, int stride, int x, int y, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, w, h, argb, y * stride + x, stride);
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(w * h / 4 + 1024);
      try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
        writer.setOutput(ios);
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(jpegQuality);
        writer.write(null, new IIOImage(img, null, null), p);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }
}
