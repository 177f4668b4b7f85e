package io.qair.desktop.tunnel;

import io.qair.desktop.auth.Session;
import io.qair.desktop.master.MasterClient;
import io.qair.protocol.QairException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import java.util.List;
import java.util.UUID;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One qube's display on one page: the browser's WebSocket on one side, the zone agent's display
 * WebSocket on the other, instructions parsed and re-encoded both ways through
 * {@link AgentFilter} and {@link BrowserFilter}. The gateway answers the page's tunnel pings
 * itself and keeps the clipboard ({@link TunnelClipboard}). A slow page pauses the agent (which
 * then sends fewer, newer frames: it waits for {@code sync}); a malformed message from either
 * side ends the tunnel. Confined to the browser socket's event loop.
 */
public final class Tunnel {
  private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);

  private final Context context;
  private final ServerWebSocket browser;
  private final Session session;
  private final String qube;
  private final AgentFilter agentFilter = new AgentFilter();
  private final TunnelClipboard clipboard;
  private final Runnable onSessionEnd;
  private final Runnable onClosed;
  private final Runnable activity;
  private WebSocket agent;
  private boolean closed;

  private Tunnel(Vertx vertx, ServerWebSocket browser, Session session, String qube, MasterClient master,
      Runnable activity, Runnable onClosed) {
    this.activity = activity;
    this.onClosed = onClosed;
    this.context = vertx.getOrCreateContext();
    this.browser = browser;
    this.session = session;
    this.qube = qube;
    this.clipboard = new TunnelClipboard(vertx, qube, session, master, this::toBrowser, this::toAgent);
    this.onSessionEnd = () -> context.runOnContext(v -> close("the session ended"));
  }

  /**
   * Runs the tunnel for {@code qube} on an accepted browser WebSocket. {@code activity} runs on the
   * user's input (typing in a window keeps the session alive); {@code onClosed} once at the end.
   */
  public static Tunnel open(Vertx vertx, ServerWebSocket browser, Session session, String qube,
      MasterClient master, AgentConnector connector, Runnable activity, Runnable onClosed) {
    Tunnel t = new Tunnel(vertx, browser, session, qube, master, activity, onClosed);
    t.start(connector);
    return t;
  }

  private void start(AgentConnector connector) {
    session.onClose(onSessionEnd);
    browser.textMessageHandler(this::fromBrowser);
    browser.binaryMessageHandler(b -> close("the page sent a binary message"));
    browser.closeHandler(v -> close(null));
    browser.exceptionHandler(e -> close(null));
    // Guacamole.WebSocketTunnel is open once it hears the tunnel's id
    toBrowser(GuacamoleCodec.encode("", UUID.randomUUID().toString()));
    connector.connect(qube).onComplete(ar -> {
      if (ar.failed()) {
        String why;
        if (ar.cause() instanceof QairException q) {
          why = q.getMessage();
          LOG.info("display of {}: {}", qube, why);
        } else {
          why = "internal error: the gateway's log has the details";
          LOG.error("display of {} failed", qube, ar.cause());
        }
        toBrowser(GuacamoleCodec.encode("qair-error", why));
        close(null);
      } else if (closed) {
        ar.result().close();
      } else {
        attach(ar.result());
      }
    });
  }

  private void attach(WebSocket socket) {
    agent = socket;
    socket.textMessageHandler(this::fromAgent);
    socket.binaryMessageHandler(b -> fail("the display of " + qube + " sent a binary message"));
    socket.closeHandler(v -> close(null));
    socket.exceptionHandler(e -> close(null));
    browser.drainHandler(v -> socket.resume());
    socket.drainHandler(v -> browser.resume());
  }

  private void fromBrowser(String message) {
    List<GuacamoleInstruction> instructions;
    try {
      instructions = GuacamoleCodec.parse(message, TunnelLimits.BROWSER_INSTRUCTIONS);
    } catch (MalformedInstructionException e) {
      close("the page sent a malformed instruction: " + e.getMessage());
      return;
    }
    StringBuilder out = new StringBuilder();
    boolean input = false;
    for (GuacamoleInstruction i : instructions) {
      switch (i.getOpcode()) {
        case "" -> ping(i.getArgs());
        case "nop" -> { }
        case "disconnect" -> {
          close(null);
          return;
        }
        case "qair-copy" -> clipboard.copy();
        case "qair-paste" -> clipboard.paste();
        case "qair-paste-confirm" -> {
          if (i.getArgs().size() == 2) {
            clipboard.confirm(i.getArgs().get(0), "1".equals(i.getArgs().get(1)));
          }
        }
        default -> {
          GuacamoleInstruction ok = BrowserFilter.filter(i, agentFilter::isWindow);
          if (ok != null) {
            out.append(GuacamoleCodec.encode(ok));
            input |= !ok.getOpcode().equals("sync");
          }
        }
      }
    }
    if (out.length() > 0) {
      toAgent(out.toString());
    }
    if (input) {
      activity.run();
    }
  }

  private void ping(List<String> args) {
    if (args.size() == 2 && args.get(0).equals("ping") && Args.timestamp(args.get(1)) != null) {
      toBrowser(GuacamoleCodec.encode("", "ping", args.get(1)));
    }
  }

  private void fromAgent(String message) {
    List<GuacamoleInstruction> instructions;
    try {
      instructions = GuacamoleCodec.parse(message, TunnelLimits.AGENT_INSTRUCTIONS);
    } catch (MalformedInstructionException e) {
      fail("the display of " + qube + " sent malformed data (" + e.getMessage() + ")");
      return;
    }
    StringBuilder out = new StringBuilder();
    for (GuacamoleInstruction i : instructions) {
      if (i.getOpcode().equals("qair-clipboard")) {
        clipboard.answer(i.getArgs());
      } else {
        GuacamoleInstruction ok = agentFilter.filter(i);
        if (ok != null) {
          out.append(GuacamoleCodec.encode(ok));
        }
      }
    }
    if (out.length() > 0) {
      toBrowser(out.toString());
    }
  }

  private void toBrowser(String text) {
    if (closed || browser.isClosed()) {
      return;
    }
    browser.writeTextMessage(text);
    if (browser.writeQueueFull() && agent != null) {
      agent.pause();
    }
  }

  private void toAgent(String text) {
    WebSocket a = agent;
    if (closed || a == null || a.isClosed()) {
      return;
    }
    a.writeTextMessage(text);
    if (a.writeQueueFull()) {
      browser.pause();
    }
  }

  private void fail(String why) {
    LOG.warn("closing the display of {}: {}", qube, why);
    toBrowser(GuacamoleCodec.encode("qair-error", why));
    close(null);
  }

  /** Ends both sides; {@code why}, when given, is logged. */
  public void close(String why) {
    if (closed) {
      return;
    }
    if (why != null) {
      LOG.info("closing the display of {}: {}", qube, why);
    }
    closed = true;
    clipboard.close();
    session.remove(onSessionEnd);
    if (agent != null && !agent.isClosed()) {
      agent.close();
    }
    if (!browser.isClosed()) {
      browser.close();
    }
    onClosed.run();
  }
}
