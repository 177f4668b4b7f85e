package io.qair.controlplane.zone;

import io.qair.controlplane.api.TestMaster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code qair zone ls}'s request ({@code GET /api/v1/zones}) in a loop, in a process of its own (so
 * it is a client apart, as the CLI is, and does not share the CPU priority of the benchmark's
 * simulated cloud), alternating with the baseline {@code GET /api/v1/labels} (a constant answer
 * from the event loop: the same TLS, routing and authentication, no store): one line
 * {@code EPOCH_MS NANOS STATUS PATH} per request, 10 ms between requests, until stdin closes.
 * Arguments: {@code ENDPOINT TOKEN_FILE CA_PEM}.
 */
public final class ZoneListProbe {
  private ZoneListProbe() {}

  public static void main(String[] args) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(TestMaster.trusting(Path.of(args[2]))).build();
    String token = Files.readString(Path.of(args[1])).strip();
    HttpRequest[] requests = new HttpRequest[2];
    String[] paths = {"/api/v1/zones", "/api/v1/labels"};
    for (int i = 0; i < 2; i++) {
      requests[i] = HttpRequest.newBuilder(URI.create(args[0] + paths[i])).header("Authorization", "Bearer " + token)
          .timeout(Duration.ofSeconds(30)).GET().build();
    }
    Thread stop = new Thread(() -> {
      try {
        System.in.read();
      } catch (java.io.IOException e) {
        // closed
      }
      Runtime.getRuntime().halt(0);
    });
    stop.setDaemon(true);
    stop.start();
    for (int n = 0; ; n++) {
      HttpRequest ls = requests[n % 2];
      long at = System.currentTimeMillis();
      long t0 = System.nanoTime();
      int status;
      try {
        status = http.send(ls, HttpResponse.BodyHandlers.ofString()).statusCode();
      } catch (java.io.IOException e) {
        status = 0;
      }
      System.out.println(at + " " + (System.nanoTime() - t0) + " " + status + " " + paths[n % 2]);
      Thread.sleep(10);
    }
  }
}
