package io.qair.agent.sandbox;

import io.qair.agent.spi.DisplayEndpoint;
import io.qair.agent.spi.ExecListener;
import io.qair.protocol.QubeClass;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GUI qube's X server: TigerVNC {@code Xvnc :0}, run as the qube's user inside its sandbox. Its
 * only sockets are in {@code run/sock/NAME/x11/} on the host (bind-mounted at {@code /tmp/.X11-unix}
 * in the qube): {@code X0} for X clients and {@code rfb.sock} for the agent's RFB client; no TCP,
 * and the abstract X socket lives in the qube's own network namespace.
 *
 * <p>Whether a qube gets one: the {@code gui} feature when set ({@code 0}/{@code false} = no); by
 * default every qube but a disposable has a display (a disposable opened from the desktop or by
 * {@code qvm-open-in-dvm} gets {@code gui=1} from its caller).
 */
final class QubeDisplays {
  private static final Logger LOG = LoggerFactory.getLogger(QubeDisplays.class);
  static final String DIR = "x11";
  static final String X_SOCKET = "X0";
  static final String RFB_SOCKET = "rfb.sock";
  /** The virtual screen the window manager places windows on: {@code -Dqair.display.geometry=WxH}. */
  static final String GEOMETRY = System.getProperty("qair.display.geometry", "3840x2160");

  private QubeDisplays() {}

  static boolean wanted(QubeSpec spec, QubeClass klass) {
    String gui = spec.features() == null ? null : spec.features().get("gui");
    if (gui != null) {
      return !(gui.isBlank() || gui.equals("0") || gui.equalsIgnoreCase("false"));
    }
    return klass != QubeClass.DispVM;
  }

  static DisplayEndpoint endpoint(Path socketDir) {
    Path dir = socketDir.resolve(DIR);
    return new DisplayEndpoint(dir.resolve(X_SOCKET), dir.resolve(RFB_SOCKET));
  }

  static ExecRequest xvnc(String qube) {
    return new ExecRequest(List.of("Xvnc", ":0",
        "-rfbunixpath", "/tmp/.X11-unix/" + RFB_SOCKET, "-rfbunixmode", "0600", "-rfbport", "-1",
        "-nolisten", "tcp", "-SecurityTypes", "None", "-AlwaysShared", "-DisconnectClients=0",
        "-geometry", GEOMETRY, "-depth", "24", "-desktop", qube, "-dpi", "96"),
        Map.of());
  }

  /** Logs the X server's output (bounded) and its exit. */
  static ExecListener logger(String qube) {
    return new ExecListener() {
      private int logged;

      @Override
      public void onStdout(byte[] data) {
        log(data);
      }

      @Override
      public void onStderr(byte[] data) {
        log(data);
      }

      private void log(byte[] data) {
        if (logged < 16 * 1024) {
          logged += data.length;
          String text = new String(data, StandardCharsets.UTF_8).strip();
          if (!text.isEmpty()) {
            LOG.debug("qube {}: Xvnc: {}", qube, text);
          }
        }
      }

      @Override
      public void onExit(int exitCode) {
        LOG.info("qube {}: its X server exited ({})", qube, exitCode);
      }
    };
  }
}
