package io.qair.agent.qrexec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.agent.QrexecMessage;
import io.vertx.core.http.ServerWebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of {@code /v1/qrexec}: the WebSocket the master keeps open to this agent, on
 * which the agent asks for decisions. The newest connection wins. A question gets its answer or,
 * when the master goes away, a denial; at most {@link #MAX_PENDING} wait at once. Thread-safe.
 */
public final class MasterLink implements CallDecisions {
  static final int MAX_PENDING = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(MasterLink.class);

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, CompletableFuture<QrexecMessage>> pending = new ConcurrentHashMap<>();
  private volatile ServerWebSocket socket;

  /** A master connected: from now on questions go to it. */
  public void attach(ServerWebSocket ws) {
    ServerWebSocket old = socket;
    socket = ws;
    if (old != null) {
      // what was asked on the old link is not known on the new one
      denyPending("the master reconnected before it decided");
      old.close((short) 1000, "replaced by a newer connection");
    }
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> ws.close((short) 1003, "text only"));
    ws.closeHandler(v -> detached(ws));
    ws.exceptionHandler(e -> LOG.debug("qrexec link: {}", e.toString()));
  }

  public boolean connected() {
    ServerWebSocket ws = socket;
    return ws != null && !ws.isClosed();
  }

  /** Asks the master; the future completes with its decision, or a denial if it cannot answer. */
  @Override
  public CompletableFuture<QrexecMessage> ask(QrexecMessage call) {
    CompletableFuture<QrexecMessage> answer = new CompletableFuture<>();
    ServerWebSocket ws = socket;
    if (ws == null || ws.isClosed()) {
      answer.complete(QrexecMessage.deny(call.id(), "the master is not connected to this zone"));
      return answer;
    }
    if (pending.size() >= MAX_PENDING) {
      answer.complete(QrexecMessage.deny(call.id(), "too many calls waiting for a decision in this zone"));
      return answer;
    }
    pending.put(call.id(), answer);
    write(ws, call).exceptionally(e -> {
      finish(call.id(), QrexecMessage.deny(call.id(), "the master could not be asked"));
      return null;
    });
    return answer;
  }

  /** Tells the master a call ended (it destroys a disposable made for it). Best effort. */
  @Override
  public void ended(String id, int exitCode) {
    ServerWebSocket ws = socket;
    if (ws != null && !ws.isClosed()) {
      write(ws, QrexecMessage.ended(id, exitCode));
    }
  }

  /** Gives up waiting for call {@code id} (timed out): a late answer is dropped. */
  @Override
  public void forget(String id) {
    pending.remove(id);
  }

  private CompletableFuture<Void> write(ServerWebSocket ws, QrexecMessage m) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      ws.writeTextMessage(json.writeValueAsString(m))
          .onSuccess(v -> done.complete(null)).onFailure(done::completeExceptionally);
    } catch (JsonProcessingException | RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  private void onText(String text) {
    QrexecMessage m;
    try {
      m = json.readValue(text, QrexecMessage.class);
    } catch (JsonProcessingException e) {
      LOG.warn("qrexec link: a message that is not a decision; ignored");
      return;
    }
    if (!QrexecMessage.DECISION.equals(m.type()) || !QrexecMessage.validId(m.id()) || m.allow() == null) {
      LOG.warn("qrexec link: a message that is not a decision; ignored");
      return;
    }
    finish(m.id(), m);
  }

  private void finish(String id, QrexecMessage decision) {
    CompletableFuture<QrexecMessage> f = pending.remove(id);
    if (f != null) {
      f.complete(decision);
    }
  }

  private void detached(ServerWebSocket ws) {
    if (socket != ws) {
      return;
    }
    socket = null;
    denyPending("the master went away before it decided");
  }

  private void denyPending(String why) {
    for (String id : pending.keySet()) {
      finish(id, QrexecMessage.deny(id, why));
    }
  }

  /** Denies every waiting question and closes the link. */
  public void close() {
    ServerWebSocket ws = socket;
    if (ws != null) {
      detached(ws);
      ws.close();
    }
  }
}
