package io.qair.agent.display;

import io.qair.agent.display.x11.WindowListener;
import io.qair.agent.display.x11.WindowManager;
import io.qair.agent.display.x11.XWindow;
import io.qair.agent.spi.DisplayEndpoint;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One running qube's display as the agent holds it: the window manager (one per X server, for as
 * long as it runs, whether or not anyone watches) and the viewers' sessions it reports windows to.
 */
final class QubeDisplay implements WindowListener {
  final String qube;
  final DisplayEndpoint endpoint;
  private final List<WindowListener> viewers = new CopyOnWriteArrayList<>();
  private volatile WindowManager wm;
  private volatile boolean closed;

  QubeDisplay(String qube, DisplayEndpoint endpoint) {
    this.qube = qube;
    this.endpoint = endpoint;
  }

  void attachWindowManager(WindowManager wm) {
    this.wm = wm;
  }

  WindowManager windowManager() {
    return wm;
  }

  boolean closed() {
    return closed;
  }

  void addViewer(WindowListener l) {
    viewers.add(l);
  }

  void removeViewer(WindowListener l) {
    viewers.remove(l);
  }

  @Override
  public void onMapped(XWindow w) {
    viewers.forEach(v -> v.onMapped(w));
  }

  @Override
  public void onChanged(XWindow w) {
    viewers.forEach(v -> v.onChanged(w));
  }

  @Override
  public void onUnmapped(int window) {
    viewers.forEach(v -> v.onUnmapped(window));
  }

  @Override
  public void onClosed(Throwable cause) {
    closed = true;
    viewers.forEach(v -> v.onClosed(cause));
  }

  void close() {
    closed = true;
    WindowManager m = wm;
    if (m != null) {
      m.close();
    }
  }
}
