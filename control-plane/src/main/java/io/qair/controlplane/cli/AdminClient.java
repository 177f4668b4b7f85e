package io.qair.controlplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CLI's Admin API client: JSON over HTTPS, trusting only the master CA. Every failure is a
 * {@link QairException}: the master's {@code ErrorBody} as it was sent, or UNAVAILABLE (exit 7)
 * when the master cannot be reached.
 */
final class AdminClient {
  private final CliEnv env;
  private final ObjectMapper json = new ObjectMapper();
  private HttpClient http;

  AdminClient(CliEnv env) {
    this.env = env;
  }

  ObjectMapper json() {
    return json;
  }

  HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .sslContext(sslContext())
          .build();
    }
    return http;
  }

  URI uri(String path) {
    return URI.create(env.endpoint() + path);
  }

  QairException unreachable(Throwable cause) {
    return QairException.unavailable("master not reachable at " + env.endpoint() + ": start it with `./qair up`", cause);
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode post(String path, Object body) {
    return send("POST", path, body);
  }

  JsonNode put(String path, Object body) {
    return send("PUT", path, body);
  }

  JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  <T> T convert(JsonNode node, Class<T> type) {
    try {
      return json.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw QairException.unavailable("the master sent an answer this CLI does not understand", e);
    }
  }

  private JsonNode send(String method, String path, Object body) {
    HttpRequest.BodyPublisher publisher;
    try {
      publisher = body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
    HttpRequest.Builder req = request(path).method(method, publisher);
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    HttpResponse<byte[]> resp = exchange(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() >= 300) {
      throw error(resp.statusCode(), resp.body());
    }
    if (resp.body().length == 0) {
      return null;
    }
    try {
      return json.readTree(resp.body());
    } catch (IOException e) {
      throw QairException.unavailable("the master sent an answer that is not JSON", e);
    }
  }

  /**
   * Follows a Server-Sent Events stream, giving each {@code data:} payload with its id to
   * {@code sink} until the sink returns false or the stream ends.
   */
  void stream(String path, Map<String, String> headers, Predicate<String[]> sink) {
    stream(path, headers, () -> { }, sink);
  }

  /** As {@link #stream(String, Map, Predicate)}; {@code onOpen} runs once the master has answered. */
  void stream(String path, Map<String, String> headers, Runnable onOpen, Predicate<String[]> sink) {
    HttpRequest.Builder req = request(path).GET().header("Accept", "text/event-stream");
    headers.forEach(req::header);
    HttpResponse<Stream<String>> resp = exchange(req.build(), HttpResponse.BodyHandlers.ofLines());
    if (resp.statusCode() >= 300) {
      throw error(resp.statusCode(), String.join("\n", resp.body().toList()).getBytes());
    }
    onOpen.run();
    String[] event = new String[3]; // id, type, data
    try (Stream<String> lines = resp.body()) {
      for (var it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          if (event[2] != null && !sink.test(event.clone())) {
            return;
          }
          event = new String[3];
        } else if (line.startsWith("id:")) {
          event[0] = line.substring(3).strip();
        } else if (line.startsWith("event:")) {
          event[1] = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          event[2] = line.substring(5).strip();
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw unreachable(e);
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofMinutes(10))
        .header("Authorization", "Bearer " + env.token());
  }

  private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
    try {
      return http().send(req, handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw unreachable(e);
    } catch (SSLException e) {
      throw QairException.unavailable("cannot verify the master at " + env.endpoint() + " with the CA certificate "
          + env.caFile() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw QairException.unavailable("lost the connection to the master at " + env.endpoint() + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QairException.unavailable("interrupted", e);
    }
  }

  QairException error(int status, byte[] body) {
    ErrorKind kind = ErrorKind.fromHttpStatus(status);
    String message = "the master answered HTTP " + status;
    try {
      JsonNode n = json.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        message = n.get("message").asText();
        kind = ErrorKind.valueOf(n.path("error").asText(kind.name()));
      }
    } catch (IOException | IllegalArgumentException e) {
      // keep the generic message
    }
    return new QairException(kind, message);
  }

  private SSLContext sslContext() {
    try (InputStream in = Files.newInputStream(env.caFile())) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, (X509Certificate) c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (NoSuchFileException e) {
      throw QairException.unavailable("master not reachable at " + env.endpoint() + ": there is no CA certificate at "
          + env.caFile() + " (start the master with `./qair up`, or set QAIR_CA)", e);
    } catch (IOException | GeneralSecurityException e) {
      throw QairException.unavailable("cannot read the CA certificate " + env.caFile() + ": " + e.getMessage(), e);
    }
  }
}
