package io.qair.controlplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameDecoder;
import io.qair.protocol.qrexec.FrameType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Runs a command through the Admin API's exec WebSocket: sends the {@link ExecRequest}, pumps
 * stdin as STDIN frames (unless it is a terminal), writes STDOUT/STDERR frames as they come, and
 * returns the command's exit code. An ERROR frame is printed as {@code qair: MESSAGE}.
 */
final class ExecClient {
  /** Stdin is sent in frames of at most this much: well under a WebSocket frame (64 KiB). */
  private static final int CHUNK = 32 * 1024;

  private final AdminClient client;
  private final CliEnv env;
  private volatile WebSocket socket;

  ExecClient(AdminClient client, CliEnv env) {
    this.client = client;
    this.env = env;
  }

  int run(String target, List<String> argv) {
    return run(target, argv, null);
  }

  /** Runs {@code argv} in {@code target} as {@code user} (null: the qube's user; {@code root}). */
  int run(String target, List<String> argv, String user) {
    return run(target, argv, user, true);
  }

  /** As {@link #run(String, List, String)}; {@code gui=false} makes a disposable target without a display. */
  int run(String target, List<String> argv, String user, boolean gui) {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Listener listener = new Listener(exit);
    URI http = client.uri("/api/v1/qubes/" + target + "/exec" + (gui ? "" : "?gui=0"));
    URI ws = URI.create(http.toString().replaceFirst("^http", "ws"));
    try {
      socket = client.http().newWebSocketBuilder()
          .header("Authorization", "Bearer " + env.token())
          .buildAsync(ws, listener)
          .get();
    } catch (ExecutionException e) {
      throw handshakeError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QairException.unavailable("interrupted", e);
    }
    try {
      socket.sendText(client.json().writeValueAsString(new ExecRequest(argv, null, user)), true).join();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
    Thread pump = new Thread(() -> pumpStdin(socket), "qair-stdin");
    pump.setDaemon(true);
    pump.start();
    try {
      return exit.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof QairException q) {
        throw q;
      }
      throw QairException.unavailable("the exec call failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pump.interrupt();
    }
  }

  /** Closes the call (Ctrl-C): the master stops the command. */
  void abort() {
    WebSocket s = socket;
    if (s != null && !s.isOutputClosed()) {
      s.sendClose(WebSocket.NORMAL_CLOSURE, "interrupted").orTimeout(2, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private void pumpStdin(WebSocket s) {
    try {
      if (!env.stdinIsTty()) {
        InputStream in = env.stdin();
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.read(buf)) > 0 && !s.isOutputClosed()) {
          s.sendBinary(ByteBuffer.wrap(Frame.of(FrameType.STDIN, buf, 0, n).encode()), true).join();
        }
      }
      if (!s.isOutputClosed()) {
        s.sendBinary(ByteBuffer.wrap(Frame.eof(FrameType.STDIN).encode()), true).join();
      }
    } catch (IOException | CompletionException e) {
      // the call ended or stdin broke: the exit code (or the close) tells the rest
    }
  }

  private QairException handshakeError(Throwable cause) {
    if (cause instanceof WebSocketHandshakeException h) {
      int status = h.getResponse().statusCode();
      Object body = h.getResponse().body();
      byte[] bytes = body instanceof byte[] b ? b : body instanceof String str ? str.getBytes() : new byte[0];
      return client.error(status, bytes);
    }
    if (cause instanceof ConnectException || cause instanceof java.net.http.HttpConnectTimeoutException) {
      return client.unreachable(cause);
    }
    if (cause instanceof QairException q) {
      return q;
    }
    return QairException.unavailable("cannot open the exec call: " + cause.getMessage(), cause);
  }

  private final class Listener implements WebSocket.Listener {
    private final CompletableFuture<Integer> exit;
    private final FrameDecoder decoder = new FrameDecoder();
    private String error;

    Listener(CompletableFuture<Integer> exit) {
      this.exit = exit;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      try {
        for (Frame f : decoder.feed(bytes)) {
          handle(ws, f);
        }
      } catch (IOException | RuntimeException e) {
        exit.completeExceptionally(e);
        ws.abort();
      }
      ws.request(1);
      return null;
    }

    private void handle(WebSocket ws, Frame f) throws IOException {
      switch (f.type()) {
        case STDOUT -> write(env.stdout(), f);
        case STDERR -> write(env.stderr(), f);
        case ERROR -> error = f.text();
        case EXIT -> {
          env.stdout().flush();
          env.stderr().flush();
          if (error != null) {
            env.err().println("qair: " + error);
          }
          exit.complete(f.exitCode());
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        default -> { }
      }
    }

    private void write(OutputStream out, Frame f) throws IOException {
      if (f.payload().length > 0) {
        out.write(f.payload());
        out.flush();
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      exit.completeExceptionally(new QairException(ErrorKind.UNAVAILABLE,
          "the connection to the master closed before the command finished (" + statusCode
              + (reason == null || reason.isEmpty() ? "" : ": " + reason) + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable e) {
      exit.completeExceptionally(QairException.unavailable("the connection to the master broke: " + e.getMessage(), e));
    }
  }
}
