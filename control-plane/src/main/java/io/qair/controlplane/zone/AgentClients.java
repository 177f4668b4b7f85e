package io.qair.controlplane.zone;

import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link AgentClient} per READY zone, made from the zone's row (address, pinned serial) on
 * first use and dropped when the zone changes. Its methods take the zone name, the shape of
 * {@code io.qair.controlplane.qube.ZoneRuntime}.
 */
public final class AgentClients implements AutoCloseable {
  private final Vertx vertx;
  private final MasterPki pki;
  private final ZoneLedger ledger;
  private final Map<String, Entry> clients = new ConcurrentHashMap<>();

  private record Entry(String address, String serial, AgentClient client) {}

  public AgentClients(Vertx vertx, MasterPki pki, ZoneLedger ledger) {
    this.vertx = vertx;
    this.pki = pki;
    this.ledger = ledger;
  }

  /** The client for a zone that is READY (or UNREACHABLE, to find out whether it is back). */
  public Future<AgentClient> client(String zone) {
    return vertx.executeBlocking(() -> ledger.zone(zone), false).map(row -> {
      ZoneRow z = row.orElseThrow(() -> QairException.notFound("no zone '" + zone + "'"));
      if (z.state() != ZoneState.READY && z.state() != ZoneState.UNREACHABLE) {
        throw QairException.unavailable("zone " + zone + " is " + z.state().name().toLowerCase()
            + (z.reason() == null ? "" : ": " + z.reason()), null);
      }
      return clientFor(z);
    });
  }

  AgentClient clientFor(ZoneRow z) {
    Entry e = clients.compute(z.name(), (name, old) -> {
      if (old != null && old.address().equals(z.address()) && old.serial().equals(z.certSerial())) {
        return old;
      }
      if (old != null) {
        old.client().close();
      }
      return new Entry(z.address(), z.certSerial(),
          AgentClient.create(vertx, pki, ledger, z.name(), z.address(), z.certSerial()));
    });
    return e.client();
  }

  /** Drops (and closes) the zone's client: its address or certificate changed, or it was removed. */
  public void forget(String zone) {
    Entry e = clients.remove(zone);
    if (e != null) {
      e.client().close();
    }
  }

  public Future<QubeStatus> start(String zone, QubeSpec spec) {
    return client(zone).compose(c -> c.start(spec));
  }

  public Future<QubeStatus> shutdown(String zone, String qube, boolean force) {
    return client(zone).compose(c -> c.shutdown(qube, force));
  }

  public Future<Void> remove(String zone, String qube) {
    return client(zone).compose(c -> c.remove(qube));
  }

  public Future<WebSocket> exec(String zone, String qube, ExecRequest request) {
    return client(zone).compose(c -> c.exec(qube, request));
  }

  public Future<List<io.qair.protocol.agent.AppEntry>> applications(String zone, String qube, String klass, String template) {
    return client(zone).compose(c -> c.applications(qube, klass, template));
  }

  public Future<WebSocket> callData(String zone, String callId) {
    return client(zone).compose(c -> c.callData(callId));
  }

  public Future<List<TemplateInfo>> templates(String zone) {
    return client(zone).compose(AgentClient::info).map(i -> i.templates() == null ? List.of() : i.templates());
  }

  @Override
  public void close() {
    clients.keySet().forEach(this::forget);
  }
}
