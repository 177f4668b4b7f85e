package io.qair.agent.display.x11;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** A tiny X client for the IT, built on the manager's own connection: windows and properties. */
final class TestXClient implements AutoCloseable {
  private final X11Connection conn;

  TestXClient(Path socket, byte[] cookie) throws IOException {
    conn = X11Connection.open(socket, cookie, Duration.ofSeconds(10));
  }

  int createWindow(int x, int y, int width, int height, boolean overrideRedirect) throws IOException {
    int id = conn.newId();
    conn.send(X11Requests.createWindow(id, conn.setup().root(), x, y, width, height,
        X11Requests.WINDOW_CLASS_INPUT_OUTPUT, X11Requests.CW_OVERRIDE_REDIRECT, overrideRedirect ? 1 : 0), false);
    return id;
  }

  void map(int window) throws IOException {
    conn.send(X11Requests.mapWindow(window), false);
    conn.sync();
  }

  void destroy(int window) throws IOException {
    conn.send(X11Requests.destroyWindow(window), false);
    conn.sync();
  }

  void setProperty(int window, String name, String type, byte[] data) throws IOException {
    conn.send(X11Requests.changeProperty(X11Requests.PROP_MODE_REPLACE, window, atom(name), atom(type), 8, data), false);
    conn.sync();
  }

  void setWindowProperty(int window, String name, int value) throws IOException {
    conn.send(X11Requests.changeProperty32(window, atom(name), X11Atoms.WINDOW, value), false);
    conn.sync();
  }

  void deleteProperty(int window, String name) throws IOException {
    conn.send(X11Requests.deleteProperty(window, atom(name)), false);
    conn.sync();
  }

  /** A round trip: throws once the server has closed this client (KillClient). */
  void sync() throws IOException {
    conn.sync();
  }

  private int atom(String name) throws IOException {
    return X11Replies.internAtom(conn.roundTrip(X11Requests.internAtom(name, false)));
  }

  @Override
  public void close() {
    conn.close();
  }
}
