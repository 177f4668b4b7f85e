package io.qair.desktop.master;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one connection to the master's event stream ({@code GET /api/v1/events}), fanned
 * out to every subscriber (the pages' event streams). When the stream breaks it is resumed with
 * {@code Last-Event-ID} after a growing pause (1 s ... 30 s); subscribers hear
 * {@code master-down} / {@code master-up} so a page can refresh what it shows.
 */
public final class MasterEvents {
  /** Longest line read from the stream; a longer one drops the connection. */
  static final int MAX_LINE = 1024 * 1024;
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(MasterEvents.class);

  private final Vertx vertx;
  private final MasterConfig config;
  private final HttpClient http;
  private final List<Consumer<MasterEvent>> subscribers = new CopyOnWriteArrayList<>();
  private volatile long lastId = -1;
  private volatile boolean connected;
  private volatile boolean closed;
  private long backoffMs = 1_000;
  private HttpClientResponse current;

  private MasterEvents(Vertx vertx, MasterConfig config, HttpClient http) {
    this.vertx = vertx;
    this.config = config;
    this.http = http;
  }

  /** Connects now and keeps the stream open until {@link #close()}. */
  public static MasterEvents start(Vertx vertx, MasterConfig config) {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(config.caPem())))
        .setConnectTimeout(5_000)
        .setIdleTimeout(60)); // the master sends a keepalive comment every 15 s
    MasterEvents events = new MasterEvents(vertx, config, http);
    vertx.runOnContext(v -> events.connect());
    return events;
  }

  public void subscribe(Consumer<MasterEvent> s) {
    subscribers.add(s);
  }

  public void unsubscribe(Consumer<MasterEvent> s) {
    subscribers.remove(s);
  }

  public boolean connected() {
    return connected;
  }

  public void close() {
    closed = true;
    HttpClientResponse r = current;
    if (r != null) {
      r.request().reset();
    }
    http.close();
  }

  private void connect() {
    if (closed) {
      return;
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(config.uri("/api/v1/events").toString())
        .putHeader("Authorization", "Bearer " + config.token())
        .putHeader("Accept", "text/event-stream");
    if (lastId >= 0) {
      options.putHeader("Last-Event-ID", Long.toString(lastId));
    }
    http.request(options)
        .compose(req -> req.send())
        .onSuccess(resp -> {
          if (resp.statusCode() != 200) {
            LOG.warn("the master's event stream answered HTTP {}; retrying", resp.statusCode());
            resp.request().reset();
            retry();
            return;
          }
          current = resp;
          backoffMs = 1_000;
          setConnected(true);
          follow(resp);
        })
        .onFailure(e -> {
          LOG.debug("cannot open the master's event stream: {}", e.getMessage());
          retry();
        });
  }

  private void follow(HttpClientResponse resp) {
    String[] event = new String[2]; // event type, data
    RecordParser lines = RecordParser.newDelimited("\n", resp).maxRecordSize(MAX_LINE);
    lines.handler(buf -> {
      String line = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        if (event[1] != null) {
          dispatch(event[1]);
        }
        event[0] = null;
        event[1] = null;
      } else if (line.startsWith("data:")) {
        event[1] = line.substring(5).strip();
      } else if (line.startsWith("event:")) {
        event[0] = line.substring(6).strip();
      }
    });
    lines.exceptionHandler(e -> {
      LOG.warn("the master's event stream broke: {}", e.getMessage());
      resp.request().reset();
    });
    resp.endHandler(v -> lost());
    resp.exceptionHandler(e -> lost());
  }

  private void lost() {
    if (current == null) {
      return;
    }
    current = null;
    setConnected(false);
    retry();
  }

  private void dispatch(String data) {
    MasterEvent e = MasterEvent.parse(data);
    if (e == null) {
      return;
    }
    lastId = Math.max(lastId, e.id());
    publish(e);
  }

  private void publish(MasterEvent e) {
    for (Consumer<MasterEvent> s : subscribers) {
      try {
        s.accept(e);
      } catch (RuntimeException ex) {
        LOG.debug("an event subscriber failed", ex);
      }
    }
  }

  private void setConnected(boolean now) {
    if (connected != now) {
      connected = now;
      publish(new MasterEvent(-1, now ? "master-up" : "master-down", "", new io.vertx.core.json.JsonObject()));
    }
  }

  private void retry() {
    if (closed) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    vertx.setTimer(delay, t -> connect());
  }
}
