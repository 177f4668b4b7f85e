package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window manager against a real TigerVNC Xvnc (3840x2160, cookie authentication) with real
 * xterms, xdotool and xwininfo. Every process started here is killed after each test.
 */
class WindowManagerIT {
  private static final String XVNC = "/usr/bin/Xvnc";
  @TempDir static Path dir;
  private static Process xvnc;
  private static int display;
  private static Path socket;
  private static Path authority;
  private static byte[] cookie;

  private final List<Process> processes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final RecordingWindowListener listener = new RecordingWindowListener();

  @BeforeAll
  static void startXvnc() throws Exception {
    assertThat(Path.of(XVNC)).as("TigerVNC's Xvnc (apt install tigervnc-standalone-server)").isExecutable();
    cookie = X11Cookie.random();
    authority = dir.resolve("Xauthority");
    X11Cookie.write(authority, cookie);
    for (int n = 40; n < 100 && xvnc == null; n++) {
      if (Files.exists(Path.of("/tmp/.X" + n + "-lock")) || Files.exists(Path.of("/tmp/.X11-unix/X" + n))) {
        continue;
      }
      Process p = new ProcessBuilder(XVNC, ":" + n, "-rfbport", "-1", "-nolisten", "tcp", "-SecurityTypes", "None",
          "-geometry", "3840x2160", "-depth", "24", "-auth", authority.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("xvnc-" + n + ".log").toFile()).start();
      Path s = Path.of("/tmp/.X11-unix/X" + n);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (p.isAlive() && !Files.exists(s) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (p.isAlive() && Files.exists(s)) {
        xvnc = p;
        display = n;
        socket = s;
      } else {
        p.destroyForcibly().waitFor(); // lost a race for this display, or failed: try the next
      }
    }
    assertThat(xvnc).as("an Xvnc on a free display; logs in " + dir).isNotNull();
  }

  @AfterAll
  static void stopXvnc() throws Exception {
    if (xvnc != null) {
      xvnc.destroy();
      if (!xvnc.waitFor(10, TimeUnit.SECONDS)) {
        xvnc.destroyForcibly().waitFor();
      }
    }
  }

  @AfterEach
  void killEverythingStarted() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void managesTwoXtermsSideBySideAndFollowsTitlesResizesAndClose() throws Exception {
    WindowManager wm = start();
    assertThat(wm.screenWidth()).isEqualTo(3840);
    assertThat(wm.screenHeight()).isEqualTo(2160);
    Process firstTerm = run("xterm", "-T", "first");
    run("xterm", "-T", "second");
    XWindow first = listener.await("titled first", w -> w.title().equals("first"));
    XWindow second = listener.await("titled second", w -> w.title().equals("second"));
    assertThat(listener.callingThread.getName()).startsWith("x11-wm ");
    assertThat(List.of(first.kind(), second.kind())).containsOnly(XWindow.Kind.NORMAL);
    assertApart(first, second);
    assertThat(wm.windows()).extracting(XWindow::id).contains(first.id(), second.id());
    assertThat(geometry(first.id())).containsExactly(first.x(), first.y(), first.width(), first.height());

    run("xdotool", "set_window", "--name", "renamed", Integer.toString(first.id())).waitFor(30, TimeUnit.SECONDS);
    listener.await("renamed", w -> w.id() == first.id() && w.title().equals("renamed"));

    // the user resizes the browser frame: the X window follows, where it was (smaller: it still fits)
    wm.resize(first.id(), first.width() - 80, first.height() - 60);
    XWindow resized = listener.await("resized smaller",
        w -> w.id() == first.id() && w.width() == first.width() - 80 && w.height() == first.height() - 60);
    assertThat(geometry(first.id())).containsExactly(first.x(), first.y(), first.width() - 80, first.height() - 60);
    assertThat(List.of(resized.x(), resized.y())).containsExactly(first.x(), first.y());

    // the client asks to move and resize itself: it gets the size, the manager keeps the position
    run("xdotool", "windowmove", Integer.toString(second.id()), "2000", "1500").waitFor(30, TimeUnit.SECONDS);
    run("xdotool", "windowsize", Integer.toString(second.id()), "333", "222").waitFor(30, TimeUnit.SECONDS);
    listener.await("sized 333x222", w -> w.id() == second.id() && w.width() == 333 && w.height() == 222);
    assertThat(geometry(second.id())).containsExactly(second.x(), second.y(), 333, 222);

    // growing a window into its neighbour moves it to a free spot instead
    wm.resize(first.id(), 3000, 1000);
    XWindow grown = listener.await("grown", w -> w.id() == first.id() && w.width() == 3000);
    assertApart(grown, listener.current().get(second.id()));
    assertThat(geometry(first.id())).containsExactly(grown.x(), grown.y(), 3000, 1000);

    wm.focus(second.id());
    awaitFocus(second.id());
    wm.focus(first.id());
    awaitFocus(first.id());
    wm.close(first.id()); // xterm speaks WM_DELETE_WINDOW
    assertThat(firstTerm.waitFor(30, TimeUnit.SECONDS)).as("xterm exits after WM_DELETE_WINDOW").isTrue();
    listener.awaitUnmapped(first.id());
    assertThat(wm.windows()).extracting(XWindow::id).doesNotContain(first.id()).contains(second.id());
  }

  @Test
  void sanitisesAHostileTitleAndFallsBackToWmName() throws Exception {
    start();
    TestXClient client = client();
    int window = client.createWindow(0, 0, 300, 200, false);
    ByteArrayOutputStream title = new ByteArrayOutputStream();
    title.writeBytes("evil\u0007\u001b[31m\u202Etitle\n".getBytes(StandardCharsets.UTF_8));
    title.writeBytes(new byte[] {(byte) 0xff, (byte) 0xc0, (byte) 0xaf});
    for (int i = 0; i < 10_000; i++) {
      title.write(i % 2 == 0 ? 'A' : 0x01);
    }
    client.setProperty(window, "_NET_WM_NAME", "UTF8_STRING", title.toByteArray());
    client.map(window);
    XWindow w = listener.await("the hostile one", x -> x.id() == window);
    assertThat(w.title()).startsWith("evil[31mtitle \uFFFD\uFFFD\uFFFDAAA").doesNotContain("\u0007", "\u001b", "\u202E", "\n");
    assertThat(w.title().codePointCount(0, w.title().length())).isEqualTo(256);

    // without _NET_WM_NAME, WM_NAME in Latin-1
    client.setProperty(window, "WM_NAME", "STRING", new byte[] {'c', 'a', 'f', (byte) 0xe9, 0x1b});
    client.deleteProperty(window, "_NET_WM_NAME");
    listener.await("café", x -> x.id() == window && x.title().equals("caf\u00e9"));
  }

  @Test
  void reportsPopupsAndDialogsWithTheirParentAndKillsClientsWithoutDeleteWindow() throws Exception {
    start();
    run("xterm", "-T", "host");
    XWindow host = listener.await("host", w -> w.title().equals("host"));
    TestXClient client = client();

    int menu = client.createWindow(host.x() + 20, host.y() + 30, 150, 120, true);
    client.map(menu);
    XWindow popup = listener.await("the menu", w -> w.id() == menu);
    assertThat(popup).isEqualTo(new XWindow(menu, host.x() + 20, host.y() + 30, 150, 120, "",
        XWindow.Kind.POPUP, host.id()));
    client.destroy(menu);
    listener.awaitUnmapped(menu);

    int dialog = client.createWindow(0, 0, 400, 300, false);
    client.setWindowProperty(dialog, "WM_TRANSIENT_FOR", host.id());
    client.map(dialog);
    XWindow transientWindow = listener.await("the dialog", w -> w.id() == dialog);
    assertThat(transientWindow.kind()).isEqualTo(XWindow.Kind.TRANSIENT);
    assertThat(transientWindow.parent()).isEqualTo(host.id());
    assertApart(host, transientWindow);

    // this client has no WM_PROTOCOLS: closing its window kills the client
    wmOf().close(dialog);
    listener.awaitUnmapped(dialog);
    assertThatThrownBy(client::sync).isInstanceOf(X11Exception.class).hasMessageContaining("closed the connection");
    assertThat(listener.current()).containsKey(host.id());
  }

  @Test
  void adoptsMappedWindowsRefusesASecondManagerAndAWrongCookie() throws Exception {
    run("xterm", "-T", "early");
    waitUntilMapped("early");
    WindowManager wm = start();
    // reported before start() returned
    assertThat(wm.windows()).anySatisfy(w -> {
      assertThat(w.title()).isEqualTo("early");
      assertThat(w.kind()).isEqualTo(XWindow.Kind.NORMAL);
    });
    XWindow early = listener.await("early", w -> w.title().equals("early"));
    assertThat(geometry(early.id())).containsExactly(early.x(), early.y(), early.width(), early.height());

    assertThatThrownBy(() -> WindowManager.start(socket, cookie, new RecordingWindowListener()))
        .isInstanceOf(X11Exception.class).hasMessageContaining("another window manager already runs");
    byte[] wrong = cookie.clone();
    wrong[0] ^= 1;
    assertThatThrownBy(() -> WindowManager.start(socket, wrong, new RecordingWindowListener()))
        .isInstanceOf(X11Exception.class).hasMessageContaining("refused the connection");
    assertThatThrownBy(() -> WindowManager.start(socket, null, new RecordingWindowListener()))
        .isInstanceOf(X11Exception.class).hasMessageContaining("refused the connection");

    wm.close();
    assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(wm.windows()).isEmpty();
    // the display is free again
    RecordingWindowListener next = new RecordingWindowListener();
    try (WindowManager again = WindowManager.start(socket, cookie, next)) {
      assertThat(again.windows()).extracting(XWindow::title).contains("early");
    }
  }

  private WindowManager wm;

  private WindowManager start() throws IOException {
    wm = WindowManager.start(socket, cookie, listener);
    closeables.add(wm);
    return wm;
  }

  private WindowManager wmOf() {
    return wm;
  }

  private TestXClient client() throws IOException {
    TestXClient c = new TestXClient(socket, cookie);
    closeables.add(c);
    return c;
  }

  private Process run(String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("clients.log").toFile()));
    pb.environment().put("DISPLAY", ":" + display);
    pb.environment().put("XAUTHORITY", authority.toString());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** x, y, width, height of a window as xwininfo sees it. */
  private List<Integer> geometry(int window) throws Exception {
    String info = output("xwininfo", "-id", Integer.toString(window));
    return List.of(field(info, "Absolute upper-left X"), field(info, "Absolute upper-left Y"), field(info, "Width"),
        field(info, "Height"));
  }

  /** Runs a client to its end; its output (stdout and stderr). */
  private String output(String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("DISPLAY", ":" + display);
    pb.environment().put("XAUTHORITY", authority.toString());
    Process p = pb.start();
    processes.add(p);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s ends", List.of(command)).isTrue();
    return out;
  }

  private void awaitFocus(int window) throws Exception {
    long deadline = System.nanoTime() + RecordingWindowListener.WAIT.toNanos();
    String focused = "";
    while (System.nanoTime() < deadline) {
      focused = output("xdotool", "getwindowfocus").strip();
      if (focused.equals(Integer.toString(window))) {
        return;
      }
      Thread.sleep(100);
    }
    fail("window %d never got the input focus; xdotool says %s", window, focused);
  }

  private void waitUntilMapped(String name) throws Exception {
    long deadline = System.nanoTime() + RecordingWindowListener.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Process p = run("xdotool", "search", "--onlyvisible", "--name", "^" + name + "$");
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    fail("no visible window named %s", name);
  }

  private static int field(String info, String name) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(name) + ":\\s+(-?\\d+)").matcher(info);
    assertThat(m.find()).as("%s in %s", name, info).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static void assertApart(XWindow a, XWindow b) {
    boolean apart = a.x() + a.width() + WindowPacker.DEFAULT_GAP <= b.x() || b.x() + b.width() + WindowPacker.DEFAULT_GAP <= a.x()
        || a.y() + a.height() + WindowPacker.DEFAULT_GAP <= b.y() || b.y() + b.height() + WindowPacker.DEFAULT_GAP <= a.y();
    assertThat(apart).as("%s and %s do not overlap", a, b).isTrue();
    for (XWindow w : List.of(a, b)) {
      assertThat(w.x() >= 0 && w.y() >= 0 && w.x() + w.width() <= 3840 && w.y() + w.height() <= 2160)
          .as("%s on the screen", w).isTrue();
    }
  }
}
