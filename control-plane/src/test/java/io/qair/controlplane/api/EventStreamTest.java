package io.qair.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EventStreamTest extends WithTestMaster {
  private static final ObjectMapper JSON = new ObjectMapper();



  /** Opens the stream; the queue receives the data of each event. */
  private BlockingQueue<JsonNode> follow(String lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(m.endpoint() + "/api/v1/events"))
        .header("Authorization", "Bearer " + m.token);
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> resp = m.http().send(b.build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    BlockingQueue<JsonNode> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try {
        resp.body().forEach(line -> {
          if (line.startsWith("data: ")) {
            try {
              q.add(JSON.readTree(line.substring(6)));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });
      } catch (java.io.UncheckedIOException closedAtTheEnd) {
        // the master stops at the end of the test
      }
    });
    t.setDaemon(true);
    t.start();
    return q;
  }

  private List<String> take(BlockingQueue<JsonNode> q, int n) throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonNode e = q.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("event %d of %d", i + 1, n).isNotNull();
      out.add(e.path("id").asLong() + " " + e.path("type").asText() + " " + e.path("subject").asText());
    }
    return out;
  }

  @Test
  void replaysFromLastEventIdThenGoesLive() throws Exception {
    BlockingQueue<JsonNode> q = follow("1");
    assertThat(take(q, 2)).containsExactly("2 zone-state local", "3 qube-created debian-12");
    assertThat(m.call("POST", "/api/v1/qubes", "{\"name\":\"work\",\"label\":\"red\"}").status()).isEqualTo(201);
    assertThat(m.call("PUT", "/api/v1/qubes/work/tags/office", null).status()).isEqualTo(204);
    assertThat(take(q, 2)).containsExactly("4 qube-created work", "5 tag-added work");
    assertThat(q.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void withoutLastEventIdOnlyNewEventsCome() throws Exception {
    BlockingQueue<JsonNode> q = follow(null);
    assertThat(m.call("POST", "/api/v1/qubes", "{\"name\":\"work\",\"label\":\"red\"}").status()).isEqualTo(201);
    List<String> got = take(q, 1);
    assertThat(got).containsExactly("4 qube-created work");
    JsonNode none = q.poll(200, TimeUnit.MILLISECONDS);
    assertThat(none).isNull();
  }

  @Test
  void aBadLastEventIdIsRefused() throws Exception {
    HttpResponse<String> r = m.http().send(HttpRequest.newBuilder(URI.create(m.endpoint() + "/api/v1/events"))
        .header("Authorization", "Bearer " + m.token).header("Last-Event-ID", "yesterday").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("parameter 'Last-Event-ID' must be an integer");
  }
}
