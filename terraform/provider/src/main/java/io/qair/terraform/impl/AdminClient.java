package io.qair.terraform.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.terraform.spi.ProviderException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The master's Admin API over HTTPS, trusting only the master CA. */
public final class AdminClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String endpoint;
  private final String token;

  private AdminClient(HttpClient http, String endpoint, String token) {
    this.http = http;
    this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    this.token = token;
  }

  public static AdminClient create(String endpoint, String token, Path caFile) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      if (Files.size(caFile) > 64 * 1024) {
        throw new IOException("it is larger than a CA certificate can be (64 KiB)");
      }
      try (var in = Files.newInputStream(caFile)) {
        // the JDK reads PEM itself (no BouncyCastle on the provider's class path: see SelfSignedCertificate)
        trust.setCertificateEntry("qair-ca", java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
      return new AdminClient(http, endpoint, token);
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new ProviderException("ca_file", "cannot use the CA certificate " + caFile + ": " + e.getMessage());
    }
  }

  public static String path(String... segments) {
    StringBuilder b = new StringBuilder();
    for (String s : segments) {
      b.append('/').append(s.startsWith("api/") || s.startsWith("?") ? s
          : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return b.toString();
  }

  /** GET; empty when the master answers 404. */
  public Optional<JsonNode> get(String path) {
    HttpResponse<String> r = send("GET", path, null);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(body(r));
  }

  public JsonNode post(String path, Object body) {
    return body(send("POST", path, body));
  }

  public void put(String path, Object body) {
    check(send("PUT", path, body));
  }

  /** DELETE; false when it was already gone. */
  public boolean delete(String path) {
    HttpResponse<String> r = send("DELETE", path, null);
    if (r.statusCode() == 404) {
      return false;
    }
    check(r);
    return true;
  }

  private JsonNode body(HttpResponse<String> r) {
    check(r);
    try {
      return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new ProviderException("the master answered with malformed JSON: " + e.getMessage());
    }
  }

  private static void check(HttpResponse<String> r) {
    if (r.statusCode() / 100 == 2) {
      return;
    }
    String message = r.body();
    try {
      JsonNode err = JSON.readTree(r.body());
      if (err.hasNonNull("message")) {
        message = err.path("error").asText() + ": " + err.get("message").asText();
      }
    } catch (IOException | RuntimeException e) {
      // keep the raw body
    }
    throw new AdminApiException(r.statusCode(), "the qair master refused " + r.request().method() + " "
        + r.request().uri().getPath() + " (" + r.statusCode() + "): " + message);
  }

  private HttpResponse<String> send(String method, String path, Object body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + path))
          .timeout(Duration.ofSeconds(120))
          .header("Authorization", "Bearer " + token)
          .header("Accept", "application/json");
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ProviderException("endpoint", "cannot reach the qair master at " + endpoint + ": " + e
          + ". Is it running (./qair up)? Set endpoint or QAIR_ENDPOINT.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException("interrupted while talking to the qair master");
    }
  }

  /** The master answered with an error status. */
  public static final class AdminApiException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final int status;

    AdminApiException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
