package io.qair.controlplane.zone;

import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.CloudAdapters;
import io.qair.controlplane.ZoneLayer;
import io.qair.controlplane.qrexec.CallDecider;
import io.qair.controlplane.qube.ZoneAdmin;
import io.qair.controlplane.qube.ZoneRuntime;
import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import io.qair.protocol.api.ZoneCreate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's real zone layer: zones are made by cloud adapters and enrolled with the master CA;
 * qubes run through each zone's agent over mutual TLS. At start it resumes the zones it knows
 * (restarting stopped local agents), creates the default local zone if there is none, and follows
 * every ready zone's qube states into the store. At stop it shuts down the qubes of local zones and
 * stops their agents: {@code qair down} stops everything, and state survives in the store.
 */
public final class AgentZoneLayer implements ZoneLayer {
  private static final Logger LOG = LoggerFactory.getLogger(AgentZoneLayer.class);
  /** Master settings passed to every adapter: system properties {@code qair.adapter.KEY}. */
  private static final String SETTING_PREFIX = "qair.adapter.";

  private final Vertx vertx;
  private final Store store;
  private final ZoneManager zones;
  private final AgentClients clients;
  private final String defaultZone;
  private final Map<String, AgentClient.Subscription> followed = new ConcurrentHashMap<>();
  private final Map<String, CloudAdapter> adapters = new ConcurrentHashMap<>();
  private final Map<String, AgentClient.Subscription> qrexecLinks = new ConcurrentHashMap<>();
  private volatile CallDecider calls;

  private AgentZoneLayer(Vertx vertx, Store store, Path dataDir, String defaultZone) {
    this.vertx = vertx;
    this.store = store;
    this.defaultZone = defaultZone;
    MasterPki pki = MasterPki.loadOrCreate(dataDir);
    ZoneLedger ledger = StoreLedger.of(store);
    EnrollmentTokens tokens = new EnrollmentTokens(ledger, Clock.systemUTC());
    this.clients = new AgentClients(vertx, pki, ledger);
    AdapterContext context = new AdapterContext(zonesDir(dataDir), settings());
    // qair.enroll-retry-ms: how often a new host's agent is dialled until it answers (default 3 s)
    this.zones = new ZoneManager(vertx, ledger, tokens, new Enroller(vertx, pki, tokens), pki,
        provider -> adapters.computeIfAbsent(provider, p -> CloudAdapters.load(p, context)), clients,
        EnrollmentTokens.TTL, java.time.Duration.ofMillis(Long.getLong("qair.enroll-retry-ms", 3000)), Set.of());
  }

  /** Local zones live beside the master's data: {@code $QAIR_HOME/zones/NAME}. */
  static Path zonesDir(Path masterDataDir) {
    Path abs = masterDataDir.toAbsolutePath();
    return abs.getParent() == null ? abs.resolve("zones") : abs.resolveSibling("zones");
  }

  private static Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    System.getProperties().forEach((k, v) -> {
      if (k.toString().startsWith(SETTING_PREFIX)) {
        s.put(k.toString().substring(SETTING_PREFIX.length()), v.toString());
      }
    });
    return s;
  }

  /** Found by {@link java.util.ServiceLoader}; the default zone is {@code qair.default-zone} (local). */
  public static final class Factory implements ZoneLayer.Factory {
    @Override
    public ZoneLayer create(Vertx vertx, Store store, Path dataDir) {
      return new AgentZoneLayer(vertx, store, dataDir, System.getProperty("qair.default-zone", "local"));
    }
  }

  @Override
  public ZoneRuntime runtime() {
    return new ZoneRuntime() {
      @Override
      public Future<QubeStatus> start(String zone, QubeSpec spec) {
        return clients.start(zone, spec);
      }

      @Override
      public Future<QubeStatus> shutdown(String zone, String qube, boolean force) {
        return clients.shutdown(zone, qube, force);
      }

      @Override
      public Future<Void> remove(String zone, String qube) {
        return clients.remove(zone, qube);
      }

      @Override
      public Future<WebSocket> exec(String zone, String qube, ExecRequest request) {
        return clients.exec(zone, qube, request);
      }

      @Override
      public Future<WebSocket> callData(String zone, String callId) {
        return clients.callData(zone, callId);
      }

      @Override
      public Future<List<TemplateInfo>> templates(String zone) {
        return clients.templates(zone);
      }

      @Override
      public Future<List<io.qair.protocol.agent.AppEntry>> applications(String zone, String qube, String klass,
          String template) {
        return clients.applications(zone, qube, klass, template);
      }
    };
  }

  /** Each followed zone also gets its qrexec link: the agent's calls go to {@code decider}. */
  @Override
  public void routeCalls(CallDecider decider) {
    this.calls = decider;
  }

  @Override
  public ZoneAdmin admin() {
    return new ZoneAdmin() {
      @Override
      public Future<ZoneRow> create(ZoneCreate request) {
        return zones.create(request, AgentZoneLayer.this::followIfReady);
      }

      @Override
      public Future<Void> remove(String zone, boolean force) {
        unfollow(zone);
        return zones.remove(zone, force);
      }

      @Override
      public Future<Map<String, String>> hostSetup(String zone) {
        return zones.hostSetup(zone);
      }

      @Override
      public Future<Void> adopt(String zone, String host) {
        return zones.adopt(zone, host);
      }
    };
  }

  @Override
  public Future<Void> start() {
    return zones.resume().compose(rows -> {
      for (ZoneRow row : rows) {
        if (row.state() == ZoneState.READY) {
          follow(row.name());
        } else if (row.state() == ZoneState.PENDING || row.state() == ZoneState.PROVISIONING
            || row.state() == ZoneState.ENROLLING) {
          followWhenReady(row.name()); // its provisioning was resumed
        }
      }
      zones.reconcileEvery(java.time.Duration.ofSeconds(Long.getLong("qair.reconcile-seconds", 60)));
      boolean hasDefault = rows.stream().anyMatch(r -> r.name().equals(defaultZone));
      if (!hasDefault && defaultZone.equals("local")) {
        LOG.info("creating the default zone 'local'");
        return zones.create(new ZoneCreate("local", "local", null, Map.of()), this::followIfReady)
            .onFailure(e -> LOG.error("cannot create the default zone: {}", e.getMessage()))
            .<Void>mapEmpty()
            .otherwiseEmpty();
      }
      return Future.<Void>succeededFuture();
    });
  }

  private void followIfReady(ZoneRow settled) {
    if (settled.state() == ZoneState.READY) {
      follow(settled.name());
    }
  }

  /**
   * Polls the store until the zone is READY, then follows it: for zones whose provisioning was
   * resumed at start (new zones are followed when their provisioning ends).
   */
  private void followWhenReady(String zone) {
    vertx.setTimer(200, id -> vertx.executeBlocking(() -> store.zone(zone).map(ZoneRow::state).orElse(null))
        .onSuccess(state -> {
          if (state == ZoneState.READY) {
            follow(zone);
          } else if (state != null && state != ZoneState.FAILED && state != ZoneState.REMOVING) {
            followWhenReady(zone);
          }
        }));
  }

  /**
   * Follows a zone's qube states: on every (re)connect, qubes the store thinks are up but the agent
   * does not run become HALTED; then each reported change is stored.
   */
  private void follow(String zone) {
    clients.client(zone).onSuccess(client -> {
      AgentClient.Subscription sub = client.events(
          status -> vertx.executeBlocking(() -> applyStatus(zone, status)),
          () -> client.qubes().onSuccess(list -> vertx.executeBlocking(() -> reconcile(zone, list))));
      AgentClient.Subscription old = followed.put(zone, sub);
      if (old != null) {
        close(old);
      }
      CallDecider decider = calls;
      if (decider != null) {
        AgentClient.Subscription link = client.qrexec(m -> decider.decide(zone, m), m -> decider.ended(zone, m),
            () -> decider.linkLost(zone));
        AgentClient.Subscription oldLink = qrexecLinks.put(zone, link);
        if (oldLink != null) {
          close(oldLink);
        }
      }
    }).onFailure(e -> LOG.warn("zone {}: cannot follow qube states: {}", zone, e.getMessage()));
  }

  private void unfollow(String zone) {
    AgentClient.Subscription sub = followed.remove(zone);
    if (sub != null) {
      close(sub);
    }
    AgentClient.Subscription link = qrexecLinks.remove(zone);
    if (link != null) {
      close(link);
    }
  }

  private static void close(AgentClient.Subscription sub) {
    try {
      sub.close();
    } catch (Exception e) {
      LOG.debug("closing a subscription: {}", e.toString());
    }
  }

  private Void applyStatus(String zone, QubeStatus status) {
    QubeRow row = store.qube(status.name()).orElse(null);
    if (row == null || !row.zone().equals(zone)) {
      return null; // a disposable already gone, or a report about a qube of another zone: ignored
    }
    QubeState state;
    try {
      state = QubeState.valueOf(status.state());
    } catch (IllegalArgumentException e) {
      LOG.warn("zone {} reported an unknown state for {}", zone, status.name());
      return null;
    }
    try {
      store.setQubeState(row.name(), state, status.reason());
    } catch (QairException e) {
      LOG.debug("state of {}: {}", row.name(), e.getMessage());
    }
    return null;
  }

  private Void reconcile(String zone, List<QubeStatus> running) {
    Map<String, QubeStatus> byName = running.stream().collect(Collectors.toMap(QubeStatus::name, s -> s, (a, b) -> a));
    for (QubeRow row : store.qubes()) {
      if (!row.zone().equals(zone)) {
        continue;
      }
      QubeStatus s = byName.get(row.name());
      if (s != null) {
        applyStatus(zone, s);
      } else if (row.state() != QubeState.HALTED) {
        store.setQubeState(row.name(), QubeState.HALTED, null);
      }
    }
    return null;
  }

  @Override
  public Future<Void> stop() {
    followed.keySet().forEach(this::unfollow);
    Set<String> local = store.zones().stream()
        .filter(z -> z.provider().equals("local") && z.state() == ZoneState.READY)
        .map(ZoneRow::name).collect(Collectors.toSet());
    List<Future<?>> shutdowns = new ArrayList<>();
    for (QubeRow q : store.qubes()) {
      if (local.contains(q.zone()) && q.state() != QubeState.HALTED) {
        shutdowns.add(clients.shutdown(q.zone(), q.name(), false)
            .compose(s -> vertx.executeBlocking(() -> store.setQubeState(q.name(), QubeState.HALTED, null)))
            .onFailure(e -> LOG.warn("shutting down {}: {}", q.name(), e.getMessage())));
      }
    }
    return Future.join(shutdowns)
        .transform(ar -> zones.stopHosts("local"))
        .eventually(() -> {
          clients.close();
          zones.close();
          return Future.succeededFuture();
        })
        .mapEmpty();
  }
}
