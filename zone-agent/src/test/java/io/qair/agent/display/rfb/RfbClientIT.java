package io.qair.agent.display.rfb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The client against a real TigerVNC Xvnc over its unix socket: the picture, ZRLE updates after
 * xsetroot, keys and pointer into an xterm, the clipboard both ways in UTF-8, a RandR resize.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RfbClientIT {
  private static XvncServer xvnc;
  private static RfbClient client;
  private static final Listener listener = new Listener();

  /** Keeps asking for incremental updates, as a viewer does, and remembers what it saw. */
  static final class Listener implements RfbListener {
    volatile RfbClient client;
    final LinkedBlockingQueue<String> cutTexts = new LinkedBlockingQueue<>();
    volatile int[] lastCursor;
    volatile int resizedTo;
    volatile int probe; // pixel at 1000,700 after the last update
    volatile Throwable closedWith;

    @Override
    public void onOpen(RfbClient c) {
      client = c;
    }

    @Override
    public void onUpdate(List<RfbChange> changes) {
      Framebuffer fb = client.framebuffer();
      if (fb.width() > 1000 && fb.height() > 700) {
        probe = fb.pixel(1000, 700);
      }
      client.requestUpdate(0, 0, fb.width(), fb.height(), true);
    }

    @Override
    public void onResize(int width, int height) {
      resizedTo = width << 16 | height;
    }

    @Override
    public void onCursor(int hotX, int hotY, int width, int height, int[] argb) {
      lastCursor = new int[] {hotX, hotY, width, height};
    }

    @Override
    public void onServerCutText(String text) {
      cutTexts.add(text);
    }

    @Override
    public void onClosed(Throwable causeOrNull) {
      closedWith = causeOrNull;
    }
  }

  @BeforeAll
  static void startXvnc() throws Exception {
    xvnc = XvncServer.start(1024, 768);
    client = RfbClient.connect(xvnc.socket(), listener, RfbLimits.defaults());
    client.requestUpdate(0, 0, client.width(), client.height(), false);
  }

  @AfterAll
  static void stopXvnc() throws Exception {
    if (client != null) {
      client.close();
    }
    if (xvnc != null) {
      xvnc.close();
    }
  }

  @Test
  @Order(1)
  void handshakeReportsTheDesktop() {
    assertThat(client.width()).isEqualTo(1024);
    assertThat(client.height()).isEqualTo(768);
    assertThat(client.name()).isNotBlank();
  }

  @Test
  @Order(2)
  void xsetrootColourArrivesAsZrle() throws Exception {
    xvnc.run("xsetroot", "-solid", "#3465a4");
    await("the root colour at 1000,700", () -> listener.probe == 0xFF3465A4);
    xvnc.run("xsetroot", "-solid", "#8ae234");
    await("the second root colour", () -> listener.probe == 0xFF8AE234);
    assertThat(((ChannelRfbClient) client).rects(ClientMessages.ZRLE)).isPositive();
  }

  @Test
  @Order(3)
  void keysTypedThroughRfbReachAnXterm() throws Exception {
    Path out = xvnc.dir().resolve("typed.txt");
    xterm("qair-type", "IFS= read -r line; printf %s \"$line\" > " + out);
    client.pointer(40, 30, 0);
    for (char c : "qair".toCharArray()) {
      client.key(c, true);
      client.key(c, false);
    }
    client.key(0xFF0D, true);
    client.key(0xFF0D, false);
    await("the typed line", () -> read(out).equals("qair"));
    assertThat(listener.lastCursor).as("Xvnc sent the pointer shape").isNotNull();
  }

  @Test
  @Order(4)
  void clipboardTextGoesIntoTheQubeAsUtf8() throws Exception {
    Path out = xvnc.dir().resolve("pasted.txt");
    client.cutText("gr\u00fc\u00dfe \u2713 qair");
    xterm("qair-paste", "stty -icanon min 1; exec cat > " + out); // bytes reach the file as they arrive
    client.pointer(40, 30, 0);
    client.pointer(40, 30, 0b010); // middle button pastes PRIMARY, which Xvnc took for our text
    client.pointer(40, 30, 0);
    await("the pasted text in the xterm", () -> read(out).equals("gr\u00fc\u00dfe \u2713 qair"));
  }

  @Test
  @Order(5)
  void textSelectedInTheQubeComesOutAsUtf8() throws Exception {
    xterm("qair-copy", "printf '%s\\n' 'w\u00f6rld \u2192 ok'; sleep 600");
    client.pointer(20, 8, 0);
    for (int i = 0; i < 3; i++) { // triple click selects the line: PRIMARY, which Xvnc sends
      client.pointer(20, 8, 1);
      client.pointer(20, 8, 0);
    }
    String text = listener.cutTexts.poll(20, TimeUnit.SECONDS);
    assertThat(text).isNotNull();
    assertThat(text.strip()).isEqualTo("w\u00f6rld \u2192 ok");
  }

  @Test
  @Order(6)
  void randrResizeArrivesAsDesktopSize() throws Exception {
    xvnc.run("xrandr", "-s", "800x600");
    await("DesktopSize 800x600", () -> listener.resizedTo == (800 << 16 | 600));
    assertThat(client.width()).isEqualTo(800);
    assertThat(listener.closedWith).isNull();
  }

  private static void xterm(String title, String script) throws Exception {
    xvnc.spawn("xterm", "-u8", "-T", title, "-geometry", "60x4+0+0", "-e", "sh", "-c", script);
    xvnc.run("xdotool", "search", "--sync", "--onlyvisible", "--name", title);
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; client closed with " + listener.closedWith
            + "; Xvnc log:\n" + xvnc.log());
      }
      Thread.sleep(50);
    }
  }
}
