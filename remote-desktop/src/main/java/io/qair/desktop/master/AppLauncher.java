package io.qair.desktop.master;

import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.Json;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Starts a GUI application in a qube through the master's exec WebSocket and does not wait for
 * it: the launch succeeds once the master has the request; stdin is closed at once, stdout is
 * dropped, the last {@link #STDERR_TAIL} bytes of stderr are kept. The call stays open while the
 * application runs (the master stops a command whose caller went away); when it ends, its exit
 * code and stderr tail go to the callback.
 */
public final class AppLauncher {
  static final int STDERR_TAIL = 2048;
  /** Applications started from the desktop that may run at once. */
  static final int MAX_RUNNING = 128;

  private final MasterConfig config;
  private final WebSocketClient ws;
  private final AtomicInteger running = new AtomicInteger();

  private AppLauncher(MasterConfig config, WebSocketClient ws) {
    this.config = config;
    this.ws = ws;
  }

  public static AppLauncher create(Vertx vertx, MasterConfig config) {
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(config.caPem())))
        .setConnectTimeout(10_000)
        .setMaxFrameSize(Frame.HEADER + Frame.MAX_PAYLOAD)
        .setMaxMessageSize(4 * (Frame.HEADER + Frame.MAX_PAYLOAD)));
    return new AppLauncher(config, ws);
  }

  /**
   * Runs {@code argv} in {@code qube}; the future completes when the master has the request.
   * {@code onExit} gets the exit code (or -1 when the call broke) and the stderr tail.
   */
  public Future<Void> launch(String qube, List<String> argv, BiConsumer<Integer, String> onExit) {
    if (running.incrementAndGet() > MAX_RUNNING) {
      running.decrementAndGet();
      return Future.failedFuture(QairException.conflict("already " + MAX_RUNNING
          + " applications started from the desktop are running: close some first"));
    }
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setAbsoluteURI(config.uri("/api/v1/qubes/" + MasterClient.path(qube) + "/exec").toString()
            .replaceFirst("^https", "wss"))
        .addHeader("Authorization", "Bearer " + config.token());
    return ws.connect(options)
        .recover(e -> {
          running.decrementAndGet();
          return Future.failedFuture(config.unreachable(e));
        })
        .compose(socket -> {
          follow(socket, onExit);
          return socket.writeTextMessage(Json.encode(new ExecRequest(argv, null)))
              .compose(v -> socket.writeBinaryMessage(Buffer.buffer(Frame.eof(FrameType.STDIN).encode())));
        });
  }

  public int running() {
    return running.get();
  }

  public void close() {
    ws.close();
  }

  private void follow(WebSocket socket, BiConsumer<Integer, String> onExit) {
    FrameDecoder decoder = new FrameDecoder();
    byte[] tail = new byte[STDERR_TAIL];
    int[] tailLength = {0};
    boolean[] done = {false};
    Runnable finish = () -> {
      if (!done[0]) {
        done[0] = true;
        running.decrementAndGet();
      }
    };
    socket.binaryMessageHandler(b -> {
      List<Frame> frames;
      try {
        frames = decoder.feed(b.getBytes());
      } catch (RuntimeException e) {
        socket.close();
        return;
      }
      for (Frame f : frames) {
        if (f.type() == FrameType.STDERR || f.type() == FrameType.ERROR) {
          append(tail, tailLength, f.payload());
        } else if (f.type() == FrameType.EXIT && !done[0]) {
          finish.run();
          onExit.accept(f.exitCode(), new String(tail, 0, tailLength[0], StandardCharsets.UTF_8));
          socket.close();
        }
      }
    });
    socket.closeHandler(v -> {
      if (!done[0]) {
        finish.run();
        onExit.accept(-1, new String(tail, 0, tailLength[0], StandardCharsets.UTF_8));
      }
    });
    socket.exceptionHandler(e -> socket.close());
  }

  private static void append(byte[] tail, int[] length, byte[] data) {
    if (data.length >= tail.length) {
      System.arraycopy(data, data.length - tail.length, tail, 0, tail.length);
      length[0] = tail.length;
      return;
    }
    int keep = Math.min(length[0], tail.length - data.length);
    System.arraycopy(tail, length[0] - keep, tail, 0, keep);
    System.arraycopy(data, 0, tail, keep, data.length);
    length[0] = keep + data.length;
  }
}
