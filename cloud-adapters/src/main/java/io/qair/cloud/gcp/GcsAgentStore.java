package io.qair.cloud.gcp;

import com.google.auth.Credentials;
import com.google.auth.ServiceAccountSigner;
import io.qair.cloud.bootstrap.AgentDistribution;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Publishes the agent distribution for one zone host through Cloud Storage: the local tar.gz is
 * uploaded to {@code gs://BUCKET/qair/agent/ZONE-MASTERHASH/qair-zone-agent.tar.gz} (JSON API,
 * media upload), and the host gets a V4 signed GET URL that expires after {@code ttl}, signed by the
 * credentials' service account (a key file, or the IAM signBlob API for GCE / impersonated
 * credentials). Removing the zone removes the object.
 */
final class GcsAgentStore {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private final Credentials credentials;
  private final URI endpoint;
  private final Path file;
  private final Duration ttl;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(20)).build();

  /** @param endpoint {@code https://storage.googleapis.com}, or a stand-in */
  GcsAgentStore(Credentials credentials, URI endpoint, Path file, Duration ttl, Clock clock) {
    this.credentials = credentials;
    this.endpoint = endpoint;
    this.file = file;
    this.ttl = ttl;
    this.clock = clock;
  }

  AgentDistribution publish(String bucket, String zone, String master) {
    if (!(credentials instanceof ServiceAccountSigner signer)) {
      throw QairException.badRequest("the Google credentials cannot sign a URL for the agent distribution (user"
          + " credentials cannot): use a service account (GOOGLE_APPLICATION_CREDENTIALS, or the master on GCE),"
          + " or give agent-url and agent-sha256");
    }
    String sha = AgentDistribution.sha256(file);
    String key = AgentDistribution.objectKey(zone, master);
    URI upload = endpoint.resolve("/upload/storage/v1/b/" + encode(bucket) + "/o?uploadType=media&name=" + encode(key));
    try {
      check(send(HttpRequest.newBuilder(upload).header("Content-Type", "application/gzip")
          .POST(HttpRequest.BodyPublishers.ofFile(file)), upload), bucket, "uploading the agent distribution");
    } catch (IOException e) {
      throw QairException.badRequest("cannot read the agent distribution " + file + ": " + e.getMessage());
    }
    return new AgentDistribution(signedGet(signer, bucket, key), sha);
  }

  void remove(String bucket, String zone, String master) {
    URI object = endpoint.resolve("/storage/v1/b/" + encode(bucket) + "/o/"
        + encode(AgentDistribution.objectKey(zone, master)));
    HttpResponse<String> r = send(HttpRequest.newBuilder(object).DELETE(), object);
    if (r.statusCode() != 404) {
      check(r, bucket, "removing the agent distribution");
    }
  }

  /** A V4 signed URL (GOOG4-RSA-SHA256, path style, only the host header signed). */
  URI signedGet(ServiceAccountSigner signer, String bucket, String key) {
    String stamp = STAMP.format(clock.instant());
    String scope = stamp.substring(0, 8) + "/auto/storage/goog4_request";
    String host = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    String path = "/" + encode(bucket) + "/" + encode(key).replace("%2F", "/");
    Map<String, String> q = new TreeMap<>();
    q.put("X-Goog-Algorithm", "GOOG4-RSA-SHA256");
    q.put("X-Goog-Credential", signer.getAccount() + "/" + scope);
    q.put("X-Goog-Date", stamp);
    q.put("X-Goog-Expires", Long.toString(ttl.toSeconds()));
    q.put("X-Goog-SignedHeaders", "host");
    StringBuilder query = new StringBuilder();
    q.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(encode(k)).append('=').append(encode(v)));
    String canonical = "GET\n" + path + "\n" + query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
    String toSign = "GOOG4-RSA-SHA256\n" + stamp + "\n" + scope + "\n" + sha256Hex(canonical);
    String signature = HexFormat.of().formatHex(signer.sign(toSign.getBytes(StandardCharsets.UTF_8)));
    return URI.create(endpoint.getScheme() + "://" + host + path + "?" + query + "&X-Goog-Signature=" + signature);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, URI uri) {
    try {
      if (credentials != null) {
        for (Map.Entry<String, List<String>> h : credentials.getRequestMetadata(uri).entrySet()) {
          h.getValue().forEach(v -> request.header(h.getKey(), v));
        }
      }
      return http.send(request.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw QairException.unavailable("cannot reach Cloud Storage (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QairException.unavailable("interrupted while talking to Cloud Storage", e);
    }
  }

  private static void check(HttpResponse<String> r, String bucket, String what) {
    int s = r.statusCode();
    if (s / 100 == 2) {
      return;
    }
    if (s == 404) {
      throw QairException.badRequest("the Cloud Storage bucket '" + bucket + "' does not exist (" + what
          + "): create it or give another with --opt bucket=NAME");
    }
    if (s == 401 || s == 403) {
      throw QairException.badRequest("not allowed to write to the Cloud Storage bucket '" + bucket + "' (" + what
          + "): " + GceErrors.CREDENTIALS_HINT + ", and roles/storage.objectAdmin on the bucket");
    }
    throw QairException.unavailable("Cloud Storage failed while " + what + " (HTTP " + s + "): retry later", null);
  }

  /** RFC 3986 percent-encoding of everything but the unreserved characters. */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
