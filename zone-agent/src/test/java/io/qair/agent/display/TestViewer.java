package io.qair.agent.display;

import io.qair.agent.display.guac.GuacInstruction;
import io.qair.agent.display.guac.GuacParser;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.imageio.ImageIO;

/**
 * What a browser does with the agent's instructions, in Java, for tests: keeps one image per layer,
 * applies {@code size}, {@code img}/{@code blob}/{@code end}, {@code copy}, and echoes every
 * {@code sync} (unless told not to).
 */
public final class TestViewer {
  public final List<GuacInstruction> received = new CopyOnWriteArrayList<>();
  public final Map<Integer, BufferedImage> layers = new ConcurrentHashMap<>();
  private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
  private final GuacParser parser = new GuacParser(16, 1 << 20);
  private final Consumer<String> reply;
  public volatile boolean acknowledge = true;
  public volatile long chars;

  private record Stream(int layer, int x, int y, ByteArrayOutputStream data) {}

  public TestViewer(Consumer<String> reply) {
    this.reply = reply;
  }

  public synchronized void onText(String text) {
    chars += text.length();
    for (GuacInstruction i : parser.feed(text)) {
      received.add(i);
      apply(i);
    }
  }

  private void apply(GuacInstruction i) {
    switch (i.opcode()) {
      case "size" -> {
        int l = Integer.parseInt(i.arg(0));
        BufferedImage img = new BufferedImage(Integer.parseInt(i.arg(1)), Integer.parseInt(i.arg(2)), BufferedImage.TYPE_INT_RGB);
        BufferedImage old = layers.get(l);
        if (old != null) {
          img.createGraphics().drawImage(old, 0, 0, null);
        }
        layers.put(l, img);
      }
      case "img" -> streams.put(Integer.parseInt(i.arg(0)), new Stream(Integer.parseInt(i.arg(2)),
          Integer.parseInt(i.arg(4)), Integer.parseInt(i.arg(5)), new ByteArrayOutputStream()));
      case "blob" -> streams.get(Integer.parseInt(i.arg(0))).data().writeBytes(Base64.getDecoder().decode(i.arg(1)));
      case "end" -> {
        Stream s = streams.remove(Integer.parseInt(i.arg(0)));
        BufferedImage target = layers.get(s.layer());
        if (target != null) {
          try {
            BufferedImage part = ImageIO.read(new ByteArrayInputStream(s.data().toByteArray()));
            Graphics2D g = target.createGraphics();
            g.drawImage(part, s.x(), s.y(), null);
            g.dispose();
          } catch (IOException e) {
            throw new IllegalStateException("undecodable image", e);
          }
        }
      }
      case "copy" -> {
        BufferedImage src = layers.get(Integer.parseInt(i.arg(0)));
        BufferedImage dst = layers.get(Integer.parseInt(i.arg(6)));
        int sx = Integer.parseInt(i.arg(1));
        int sy = Integer.parseInt(i.arg(2));
        int w = Integer.parseInt(i.arg(3));
        int h = Integer.parseInt(i.arg(4));
        BufferedImage part = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        part.createGraphics().drawImage(src, -sx, -sy, null);
        dst.createGraphics().drawImage(part, Integer.parseInt(i.arg(7)), Integer.parseInt(i.arg(8)), null);
      }
      case "dispose" -> layers.remove(Integer.parseInt(i.arg(0)));
      case "sync" -> {
        if (acknowledge) {
          reply.accept(GuacInstruction.of("sync", i.arg(0)).encode());
        }
      }
      default -> {
        // window metadata, cursor: kept in received
      }
    }
  }

  public List<GuacInstruction> find(Predicate<GuacInstruction> p) {
    List<GuacInstruction> out = new ArrayList<>();
    for (GuacInstruction i : received) {
      if (p.test(i)) {
        out.add(i);
      }
    }
    return out;
  }

  public GuacInstruction await(Predicate<GuacInstruction> p, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      List<GuacInstruction> l = find(p);
      if (!l.isEmpty()) {
        return l.get(l.size() - 1);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching instruction in " + millis + " ms; last received: "
        + received.subList(Math.max(0, received.size() - 10), received.size()));
  }

  public long frames() {
    return find(i -> i.opcode().equals("sync")).size();
  }
}
