package io.qair.controlplane.qube;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A zone layer in memory, with a tiny plain-HTTP "agent" for exec whose commands are: {@code echo
 * ARGS} (prints them), {@code cat} (copies stdin to stdout), {@code exit N}, {@code fail MSG}
 * (MSG on stderr, exit 1), {@code flood BYTES} (that many bytes of stdout as fast as it can, then
 * exit 0 and close at once), {@code whoami} (the request's user, {@code user} if none) and
 * {@code sleep} (runs until the call is closed).
 */
public final class FakeZoneRuntime implements ZoneRuntime {
  private final Vertx vertx;
  private final ObjectMapper json = new ObjectMapper();
  private HttpServer agent;
  /** One client kept for the fake's life (an unreferenced Vert.x client may be closed by the cleaner). */
  private io.vertx.core.http.WebSocketClient client;

  /** Running qubes and their zone. */
  public final Map<String, String> running = new ConcurrentHashMap<>();
  public final List<QubeSpec> started = new CopyOnWriteArrayList<>();
  public final List<String> removed = new CopyOnWriteArrayList<>();
  public final Map<String, List<TemplateInfo>> templates = new ConcurrentHashMap<>();
  /** Every exec asked for, as ZONE/QUBE and the request. */
  public final List<Map.Entry<String, ExecRequest>> execs = new CopyOnWriteArrayList<>();
  /** Call ids whose data socket (a relayed qrexec call) was opened, and those open right now. */
  public final List<String> callData = new CopyOnWriteArrayList<>();
  public final List<String> callDataOpen = new CopyOnWriteArrayList<>();
  /** Exec calls the agent has open right now. */
  public final AtomicInteger openExecs = new AtomicInteger();
  /** A qube name, or "*", whose start fails with UNAVAILABLE. */
  public volatile String failStart;

  private FakeZoneRuntime(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<FakeZoneRuntime> start(Vertx vertx) {
    FakeZoneRuntime fake = new FakeZoneRuntime(vertx);
    return vertx.createHttpServer().webSocketHandler(ws -> {
      if (ws.path().startsWith("/data/")) {
        String id = ws.path().substring("/data/".length());
        fake.callData.add(id);
        fake.callDataOpen.add(id);
        ws.binaryMessageHandler(b -> { }); // the caller's frames: not looked at
        ws.closeHandler(v -> fake.callDataOpen.remove(id));
      } else {
        fake.agentExec(ws);
      }
    }).listen(0, "127.0.0.1").map(server -> {
      fake.agent = server;
      return fake;
    });
  }

  @Override
  public Future<QubeStatus> start(String zone, QubeSpec spec) {
    if (spec.name().equals(failStart) || "*".equals(failStart)) {
      return Future.failedFuture(new IllegalStateException("sandbox failed: no such template root"));
    }
    started.add(spec);
    running.put(spec.name(), zone);
    return Future.succeededFuture(new QubeStatus(spec.name(), "RUNNING", null));
  }

  @Override
  public Future<QubeStatus> shutdown(String zone, String qube, boolean force) {
    running.remove(qube);
    return Future.succeededFuture(new QubeStatus(qube, "HALTED", null));
  }

  @Override
  public Future<Void> remove(String zone, String qube) {
    if (running.containsKey(qube)) {
      return Future.failedFuture(QairException.conflict("qube " + qube + " is running"));
    }
    removed.add(qube);
    return Future.succeededFuture();
  }

  @Override
  public Future<WebSocket> exec(String zone, String qube, ExecRequest request) {
    execs.add(Map.entry(zone + "/" + qube, request));
    if (!running.containsKey(qube)) {
      return Future.failedFuture(QairException.conflict("qube " + qube + " is not running"));
    }
    return client().connect(agent.actualPort(), "127.0.0.1", "/exec/" + qube).map(ws -> {
      ws.pause();
      try {
        ws.writeTextMessage(json.writeValueAsString(request));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return ws;
    });
  }

  private synchronized io.vertx.core.http.WebSocketClient client() {
    if (client == null) {
      client = vertx.createWebSocketClient();
    }
    return client;
  }

  @Override
  public Future<WebSocket> callData(String zone, String callId) {
    return client().connect(agent.actualPort(), "127.0.0.1", "/data/" + callId).map(ws -> {
      ws.pause();
      return ws;
    });
  }

  @Override
  public Future<List<TemplateInfo>> templates(String zone) {
    return Future.succeededFuture(templates.getOrDefault(zone, List.of()));
  }

  private void agentExec(ServerWebSocket ws) {
    openExecs.incrementAndGet();
    ws.closeHandler(v -> openExecs.decrementAndGet());
    FrameDecoder decoder = new FrameDecoder();
    ws.textMessageHandler(text -> {
      ExecRequest req;
      try {
        req = json.readValue(text, ExecRequest.class);
      } catch (Exception e) {
        ws.close();
        return;
      }
      List<String> argv = req.argv();
      switch (argv.get(0)) {
        case "echo" -> {
          send(ws, new Frame(FrameType.STDOUT, (String.join(" ", argv.subList(1, argv.size())) + "\n")
              .getBytes(StandardCharsets.UTF_8)));
          exit(ws, 0);
        }
        case "exit" -> exit(ws, Integer.parseInt(argv.get(1)));
        case "whoami" -> {
          send(ws, new Frame(FrameType.STDOUT, ((req.user() == null ? "user" : req.user()) + "\n")
              .getBytes(StandardCharsets.UTF_8)));
          exit(ws, 0);
        }
        case "fail" -> {
          send(ws, new Frame(FrameType.STDERR, argv.get(1).getBytes(StandardCharsets.UTF_8)));
          exit(ws, 1);
        }
        case "cat" -> ws.binaryMessageHandler(b -> {
          for (Frame f : decoder.feed(b.getBytes())) {
            if (f.type() == FrameType.STDIN && f.isEof()) {
              exit(ws, 0);
            } else if (f.type() == FrameType.STDIN) {
              send(ws, new Frame(FrameType.STDOUT, f.payload()));
            }
          }
        });
        case "flood" -> {
          byte[] chunk = new byte[32 * 1024];
          java.util.Arrays.fill(chunk, (byte) 'x');
          for (long left = Long.parseLong(argv.get(1)); left > 0; left -= chunk.length) {
            send(ws, Frame.of(FrameType.STDOUT, chunk, 0, (int) Math.min(left, chunk.length)));
          }
          exit(ws, 0);
        }
        case "sleep" -> { }
        default -> {
          send(ws, Frame.error("no such command: " + argv.get(0)));
          exit(ws, 127);
        }
      }
    });
  }

  private static void send(ServerWebSocket ws, Frame f) {
    ws.writeBinaryMessage(Buffer.buffer(f.encode()));
  }

  private static void exit(ServerWebSocket ws, int code) {
    send(ws, Frame.exit(code));
    ws.close();
  }
}
