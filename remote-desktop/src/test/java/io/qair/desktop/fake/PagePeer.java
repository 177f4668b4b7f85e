package io.qair.desktop.fake;

import io.qair.desktop.tunnel.GuacamoleCodec;
import io.vertx.core.http.WebSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.guacamole.protocol.GuacamoleInstruction;

/** The page's end of a display tunnel: what it received, parsed, and a way to send. */
public final class PagePeer {
  public final WebSocket socket;
  public final List<GuacamoleInstruction> received = new CopyOnWriteArrayList<>();
  public final List<String> messages = new CopyOnWriteArrayList<>();
  public volatile boolean closed;

  public PagePeer(WebSocket socket) {
    this.socket = socket;
    socket.textMessageHandler(text -> {
      messages.add(text);
      received.addAll(GuacamoleCodec.parse(text, 100_000));
    });
    socket.closeHandler(v -> closed = true);
  }

  public void send(String raw) {
    socket.writeTextMessage(raw);
  }

  public List<GuacamoleInstruction> withOpcode(String opcode) {
    return received.stream().filter(i -> i.getOpcode().equals(opcode)).toList();
  }

  public GuacamoleInstruction waitFor(String opcode) throws InterruptedException {
    GatewayHarness.eventually(() -> !withOpcode(opcode).isEmpty(), "the page to receive " + opcode);
    return withOpcode(opcode).get(0);
  }
}
