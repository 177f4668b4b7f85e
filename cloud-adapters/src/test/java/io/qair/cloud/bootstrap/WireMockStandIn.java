package io.qair.cloud.bootstrap;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-process WireMock server on loopback whose every answer comes from a stateful Java model
 * (a {@link ResponseDefinitionTransformerV2}), so a cloud SDK can run a whole lifecycle against it.
 * Subclasses speak one cloud's protocol; this class adds fault injection per operation and a log
 * of the operations served.
 */
public abstract class WireMockStandIn implements AutoCloseable {
  /** One operation as the stand-in understood it. */
  public record Call(String operation, Map<String, String> params, String body) {}

  private final WireMockServer server;
  private final Map<String, Deque<String>> faults = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private volatile long latencyMillis;

  protected WireMockStandIn(String name) {
    ResponseDefinitionTransformerV2 transformer = new ResponseDefinitionTransformerV2() {
      @Override
      public ResponseDefinition transform(ServeEvent event) {
        ResponseDefinition answer;
        synchronized (WireMockStandIn.this) {
          try {
            answer = serve(event.getRequest());
          } catch (RuntimeException e) {
            // a bug in the stand-in: say so loudly rather than as a cloud failure
            e.printStackTrace();
            return answer(599, "text/plain", "stand-in failure: " + e);
          }
        }
        long delay = latencyMillis;
        return delay <= 0 ? answer : ResponseDefinitionBuilder.like(answer).withFixedDelay((int) delay).build();
      }

      @Override
      public String getName() {
        return name;
      }
    };
    server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
        .containerThreads(12).jettyAcceptors(1).extensions(transformer).disableRequestJournal()
        // a simulated latency is waited out on a timer, not on a container thread
        .asynchronousResponseEnabled(true).asynchronousResponseThreads(4));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
  }

  /** The server's base URL, {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /**
   * Every answer is sent {@code latency} after its request arrived (a simulated cloud round trip,
   * for benchmarks); the state change happens at once. Zero (the default) answers at once.
   */
  public void latency(java.time.Duration latency) {
    latencyMillis = latency.toMillis();
  }

  /** The next call of {@code operation} fails with the cloud's error {@code code}. */
  public synchronized void failNext(String operation, String code) {
    faults.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(code);
  }

  /** Every operation served so far, in order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> calls(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).toList();
  }

  protected synchronized void record(Call call) {
    calls.add(call);
  }

  /** The injected fault for this operation, consumed, or null. */
  protected synchronized String takeFault(String operation) {
    Deque<String> q = faults.get(operation);
    return q == null ? null : q.poll();
  }

  protected abstract ResponseDefinition serve(Request request);

  protected static ResponseDefinition answer(int status, String contentType, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body).build();
  }

  @Override
  public void close() {
    server.stop();
  }
}
