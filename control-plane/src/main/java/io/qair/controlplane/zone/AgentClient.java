package io.qair.controlplane.zone;

import com.fasterxml.jackson.core.type.TypeReference;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.HostPort;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.AgentInfo;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QrexecMessage;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.qrexec.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

/**
 * The master's client for one zone agent: mutual TLS with the master's client certificate,
 * trusting only the agent certificate pinned at enrollment (see {@link PinnedAgentTrustManager}).
 * Agent errors come back as the {@link QairException} the agent reported; a zone that cannot be
 * reached (connection refused, TLS refused, revoked) is UNAVAILABLE "zone X is not reachable: ...".
 */
public final class AgentClient implements AutoCloseable {
  /** Largest JSON answer read from an agent. */
  static final int MAX_ANSWER = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final String zone;
  private final HostPort address;
  private final HttpClient http;
  private final WebSocketClient ws;
  private final java.util.Set<EventFollower> followers = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private AgentClient(Vertx vertx, String zone, HostPort address, HttpClient http, WebSocketClient ws) {
    this.vertx = vertx;
    this.zone = zone;
    this.address = address;
    this.http = http;
    this.ws = ws;
  }

  /**
   * A client for the agent of {@code zone} at {@code address} ({@code HOST:PORT}) whose enrolled
   * certificate has serial {@code pinnedSerial} (hex, as in {@code zones.cert_serial}).
   */
  public static AgentClient create(Vertx vertx, MasterPki pki, EnrollmentLedger revocations, String zone,
      String address, String pinnedSerial) {
    if (pinnedSerial == null || pinnedSerial.isBlank()) {
      throw QairException.conflict("zone " + zone + " is not enrolled: it has no certificate to trust");
    }
    HostPort hp = HostPort.parse(address);
    var trust = TrustOptions.wrap(new PinnedAgentTrustManager(pki.caTrustManager(), zone, pinnedSerial,
        hp.host(), revocations));
    var keys = KeyCertOptions.wrap(pki.clientKeyManager());
    HttpClient http = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(true).setSslEngineOptions(MasterPki.sslEngine())
        .setVerifyHost(false) // the trust manager checks the host against the SANs
        .setKeyCertOptions(keys).setTrustOptions(trust)
        .setConnectTimeout(10_000).setIdleTimeout(120).setKeepAlive(true));
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true).setSslEngineOptions(MasterPki.sslEngine()).setVerifyHost(false)
        .setKeyCertOptions(keys).setTrustOptions(trust)
        .setConnectTimeout(10_000)
        .setMaxFrameSize(Frame.HEADER + Frame.MAX_PAYLOAD)
        .setMaxMessageSize(4 * (Frame.HEADER + Frame.MAX_PAYLOAD)));
    return new AgentClient(vertx, zone, hp, http, ws);
  }

  public String zone() {
    return zone;
  }

  public Future<AgentInfo> info() {
    return call(HttpMethod.GET, "/v1/info", null, 200).map(b -> AgentJson.read(zone, b, AgentInfo.class));
  }

  public Future<List<QubeStatus>> qubes() {
    return call(HttpMethod.GET, "/v1/qubes", null, 200)
        .map(b -> AgentJson.read(zone, b, new TypeReference<List<QubeStatus>>() {}));
  }

  public Future<QubeStatus> start(QubeSpec spec) {
    String qube = Names.requireQubeName(spec.name());
    return call(HttpMethod.POST, "/v1/qubes/" + qube + "/start", AgentJson.write(spec), 200)
        .map(b -> AgentJson.read(zone, b, QubeStatus.class));
  }

  public Future<QubeStatus> shutdown(String qube, boolean force) {
    return call(HttpMethod.POST, "/v1/qubes/" + Names.requireQubeName(qube) + "/shutdown" + (force ? "?force=true" : ""),
        null, 200).map(b -> AgentJson.read(zone, b, QubeStatus.class));
  }

  /** The qube's applications ({@code klass}, {@code template}: the master's view of it). */
  public Future<List<io.qair.protocol.agent.AppEntry>> applications(String qube, String klass, String template) {
    String q = "/v1/qubes/" + Names.requireQubeName(qube) + "/apps?klass=" + java.net.URLEncoder.encode(klass, java.nio.charset.StandardCharsets.UTF_8)
        + (template == null ? "" : "&template=" + java.net.URLEncoder.encode(template, java.nio.charset.StandardCharsets.UTF_8));
    return call(HttpMethod.GET, q, null, 200)
        .map(b -> AgentJson.read(zone, b, new TypeReference<List<io.qair.protocol.agent.AppEntry>>() {}));
  }

  public Future<Void> remove(String qube) {
    return call(HttpMethod.DELETE, "/v1/qubes/" + Names.requireQubeName(qube), null, 204).mapEmpty();
  }

  /**
   * Opens the exec WebSocket of a running qube and sends {@code request} as its first message.
   * Binary qrexec frames follow: STDIN from the caller, STDOUT/STDERR/ERROR/EXIT from the agent.
   * The socket is returned paused: set its handlers, then {@code resume()} it, so no frame is lost.
   */
  public Future<WebSocket> exec(String qube, ExecRequest request) {
    return connect("/v1/qubes/" + Names.requireQubeName(qube) + "/exec")
        .compose(socket -> {
          socket.pause();
          return socket.writeTextMessage(AgentJson.write(request).toString()).map(socket);
        });
  }

  /**
   * Opens the data socket of a call this agent's zone made to a qube in another zone ({@code
   * /v1/qrexec/calls/{id}}): binary qrexec frames, the caller's STDIN from the agent, the target's
   * STDOUT/STDERR/ERROR/EXIT to it. Returned paused, like {@link #exec}.
   */
  public Future<WebSocket> callData(String callId) {
    if (!QrexecMessage.validId(callId)) {
      return Future.failedFuture(QairException.badRequest("invalid call id"));
    }
    return connect("/v1/qrexec/calls/" + callId).map(socket -> {
      socket.pause();
      return socket;
    });
  }

  /**
   * Follows the agent's state changes until the returned handle is closed, reconnecting with
   * backoff (1 s doubling to 30 s) whenever the connection drops. {@code onConnected} runs after
   * every (re)connection, so the caller can re-read {@link #qubes()} to catch up.
   */
  public Subscription events(Consumer<QubeStatus> onStatus, Runnable onConnected) {
    return follow("/v1/events", (socket, text) -> {
      try {
        onStatus.accept(AgentJson.read(zone, Buffer.buffer(text), QubeStatus.class));
      } catch (QairException e) {
        socket.close((short) 1007, "malformed event");
      }
    }, onConnected, () -> { });
  }

  /**
   * Keeps the agent's qrexec link open ({@code /v1/qrexec}, reconnecting like {@link #events}):
   * each {@code call} the agent sends is decided by {@code onCall}, whose answer goes back as the
   * {@code decision}; {@code ended} messages go to {@code onEnded}. {@code onLost} runs whenever the
   * link drops (the agent then denies the calls that were waiting).
   */
  public Subscription qrexec(java.util.function.Function<QrexecMessage, Future<QrexecMessage>> onCall,
      Consumer<QrexecMessage> onEnded, Runnable onLost) {
    return follow("/v1/qrexec", (socket, text) -> {
      QrexecMessage m;
      try {
        m = AgentJson.read(zone, Buffer.buffer(text), QrexecMessage.class);
      } catch (QairException e) {
        socket.close((short) 1007, "malformed message");
        return;
      }
      if (!QrexecMessage.validId(m.id())) {
        socket.close((short) 1007, "malformed message");
      } else if (QrexecMessage.CALL.equals(m.type())) {
        onCall.apply(m)
            .recover(e -> Future.succeededFuture(QrexecMessage.deny(m.id(), "the master could not decide")))
            .onSuccess(d -> {
              if (!socket.isClosed()) {
                socket.writeTextMessage(AgentJson.write(d).toString());
              }
            });
      } else if (QrexecMessage.ENDED.equals(m.type())) {
        onEnded.accept(m);
      }
    }, () -> { }, onLost);
  }

  private Subscription follow(String uri, java.util.function.BiConsumer<WebSocket, String> onText, Runnable onConnected,
      Runnable onLost) {
    EventFollower f = new EventFollower(uri, onText, onConnected, onLost);
    followers.add(f);
    if (closed) {
      f.close();
    }
    f.connect();
    return f;
  }

  public Subscription events(Consumer<QubeStatus> onStatus) {
    return events(onStatus, () -> {});
  }

  /** An events subscription; closing it stops following (and reconnecting). */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** Closes connections and ends every events subscription. */
  @Override
  public void close() {
    closed = true;
    followers.forEach(EventFollower::close);
    http.close();
    ws.close();
  }

  private Future<WebSocket> connect(String uri) {
    return ws.connect(new WebSocketConnectOptions().setHost(address.host()).setPort(address.port())
            .setURI(uri).setSsl(true))
        .recover(e -> {
          if (e instanceof UpgradeRejectedException r) {
            return Future.failedFuture(AgentJson.error(zone, r.getStatus(), r.getBody() == null ? Buffer.buffer() : r.getBody()));
          }
          return Future.failedFuture(unreachable(zone, e));
        });
  }

  private Future<Buffer> call(HttpMethod method, String path, Buffer body, int expect) {
    return http.request(method, address.port(), address.host(), path)
        .recover(e -> Future.failedFuture(unreachable(zone, e)))
        .compose(req -> {
          if (body != null) {
            req.putHeader("content-type", "application/json");
          }
          return (body == null ? req.send() : req.send(body))
              .recover(e -> Future.failedFuture(unreachable(zone, e)))
              .compose(resp -> boundedBody(resp, MAX_ANSWER, zone).map(b -> {
                if (resp.statusCode() != expect) {
                  throw AgentJson.error(zone, resp.statusCode(), b);
                }
                return b;
              }));
        });
  }

  // ------------------------------------------------------------------ shared with the Enroller

  /** Reads a response body, failing (and dropping the connection) past {@code max} bytes. */
  static Future<Buffer> boundedBody(HttpClientResponse resp, int max, String zone) {
    Promise<Buffer> p = Promise.promise();
    Buffer acc = Buffer.buffer();
    resp.handler(chunk -> {
      if (acc.length() + chunk.length() > max) {
        p.tryFail(QairException.unavailable("zone " + zone + " sent an answer larger than " + max + " bytes", null));
        resp.request().reset();
      } else {
        acc.appendBuffer(chunk);
      }
    });
    resp.exceptionHandler(e -> p.tryFail(unreachable(zone, e)));
    resp.endHandler(v -> p.tryComplete(acc));
    return p.future();
  }

  static X509Certificate peerCertificate(HttpConnection connection, String zone) {
    try {
      return (X509Certificate) connection.peerCertificates().get(0);
    } catch (Exception e) {
      throw QairException.unavailable("zone " + zone + " presented no TLS certificate", e);
    }
  }

  /** A connection failure as the user sees it. */
  static QairException unreachable(String zone, Throwable e) {
    if (e instanceof QairException q) {
      return q;
    }
    Throwable root = e;
    String message = e.getMessage();
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      if (root.getMessage() != null) {
        message = root.getMessage();
      }
    }
    return new QairException(ErrorKind.UNAVAILABLE, "zone " + zone + " is not reachable: "
        + (message == null ? root.getClass().getSimpleName() : message), e);
  }

  /** Keeps a WebSocket of the agent open (events, qrexec), reconnecting with backoff. */
  private final class EventFollower implements Subscription {
    private final String uri;
    private final java.util.function.BiConsumer<WebSocket, String> onText;
    private final Runnable onConnected;
    private final Runnable onLost;
    private volatile boolean closed;
    private volatile WebSocket current;
    private long backoffMs = 1000;

    EventFollower(String uri, java.util.function.BiConsumer<WebSocket, String> onText, Runnable onConnected,
        Runnable onLost) {
      this.uri = uri;
      this.onText = onText;
      this.onConnected = onConnected;
      this.onLost = onLost;
    }

    void connect() {
      if (closed) {
        return;
      }
      AgentClient.this.connect(uri).onComplete(ar -> {
        if (ar.failed()) {
          retry();
          return;
        }
        WebSocket socket = ar.result();
        if (closed) {
          socket.close();
          return;
        }
        current = socket;
        backoffMs = 1000;
        socket.textMessageHandler(text -> onText.accept(socket, text));
        socket.closeHandler(v -> {
          onLost.run();
          retry();
        });
        onConnected.run();
      });
    }

    private void retry() {
      current = null;
      if (closed) {
        return;
      }
      long delay = backoffMs;
      backoffMs = Math.min(backoffMs * 2, 30_000);
      vertx.setTimer(delay, t -> connect());
    }

    @Override
    public void close() {
      closed = true;
      followers.remove(this);
      WebSocket s = current;
      if (s != null) {
        s.close();
      }
    }
  }
}
