package io.qair.controlplane;

import io.qair.controlplane.api.AdminApiServer;
import io.qair.controlplane.api.ApiToken;
import io.qair.controlplane.policy.AskQueue;
import io.qair.controlplane.policy.PolicyStore;
import io.qair.controlplane.qube.QubeDefaults;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.zone.MasterPki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.nio.file.Path;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master admin, wired: store, zone layer, Admin API. Start-up order: open the store (and
 * migrate it), make the zone layer, make the token, the TLS identity and the qrexec policy, listen, start the zone
 * layer, then destroy the disposables a crash left behind. {@link #stop} undoes it in reverse.
 */
public final class Master {
  private static final Logger LOG = LoggerFactory.getLogger(Master.class);

  private final Vertx vertx;
  private final Store store;
  private final ZoneLayer zones;
  private final AdminApiServer api;

  private Master(Vertx vertx, Store store, ZoneLayer zones, AdminApiServer api) {
    this.vertx = vertx;
    this.store = store;
    this.zones = zones;
    this.api = api;
  }

  public static Builder builder(Vertx vertx, Path dataDir) {
    return new Builder(vertx, dataDir);
  }

  public int port() {
    return api.port();
  }

  public Store store() {
    return store;
  }

  public Future<Void> stop() {
    return api.close()
        .eventually(() -> zones.stop())
        .eventually(() -> vertx.executeBlocking(() -> {
          store.close();
          return null;
        }))
        .mapEmpty();
  }

  /**
   * The policy of {@code DATA_DIR/policy.d}; a new directory gets the default policy. A broken one
   * denies every call until it is fixed (the errors are logged).
   */
  public static PolicyStore openPolicy(Path dataDir) {
    Path dir = dataDir.resolve("policy.d");
    if (PolicyStore.installDefaults(dir)) {
      LOG.info("installed the default qrexec policy in {}", dir);
    }
    return PolicyStore.open(dir);
  }

  /** Master wiring. Defaults: 127.0.0.1:7443, debian-12 in zone local, no zone layer, TLS from {@code DATA_DIR/ca} ({@link MasterPki}). */
  public static final class Builder {
    private final Vertx vertx;
    private final Path dataDir;
    private String host = AdminApiServer.DEFAULT_HOST;
    private int port = AdminApiServer.DEFAULT_PORT;
    private QubeDefaults defaults = QubeDefaults.standard();
    private ZoneLayer.Factory zoneLayer = (v, s, d) -> new UnwiredZoneLayer();
    private Function<Path, KeyCertOptions> tls;
    private java.time.Duration askTimeout = AskQueue.DEFAULT_TIMEOUT;

    private Builder(Vertx vertx, Path dataDir) {
      this.vertx = vertx;
      this.dataDir = dataDir;
      this.tls = dir -> KeyCertOptions.wrap(MasterPki.loadOrCreate(dir).serverKeyManager());
    }

    public Builder host(String h) {
      this.host = h;
      return this;
    }

    public Builder port(int p) {
      this.port = p;
      return this;
    }

    public Builder defaults(QubeDefaults d) {
      this.defaults = d;
      return this;
    }

    public Builder zoneLayer(ZoneLayer.Factory f) {
      this.zoneLayer = f;
      return this;
    }

    /** How long a qrexec {@code ask} waits for the user before it is denied (default 60 s). */
    public Builder askTimeout(java.time.Duration t) {
      this.askTimeout = t;
      return this;
    }

    /** The Admin API's key and certificate, made from the data dir (default: the server certificate of {@link MasterPki}). */
    public Builder tls(Function<Path, KeyCertOptions> t) {
      this.tls = t;
      return this;
    }

    public Future<Master> start() {
      return vertx.executeBlocking(() -> {
        Store store = Store.open(dataDir);
        try {
          return new Object[] {store, zoneLayer.create(vertx, store, dataDir), ApiToken.loadOrCreate(dataDir),
              tls.apply(dataDir), openPolicy(dataDir)};
        } catch (RuntimeException e) {
          store.close();
          throw e;
        }
      }).compose(parts -> {
        Store store = (Store) parts[0];
        ZoneLayer zones = (ZoneLayer) parts[1];
        return AdminApiServer.builder(vertx, store)
            .runtime(zones.runtime())
            .zoneAdmin(zones.admin())
            .token((ApiToken) parts[2])
            .tls((KeyCertOptions) parts[3])
            .policy((PolicyStore) parts[4])
            .askTimeout(askTimeout)
            .host(host)
            .port(port)
            .defaults(defaults)
            .start()
            .compose(api -> {
              zones.routeCalls(new io.qair.controlplane.qrexec.CallRouter(api.services()));
              return Future.succeededFuture(api);
            })
            .compose(api -> zones.start()
                .compose(v -> api.services().disposables().sweep())
                .map(v -> new Master(vertx, store, zones, api)))
            .onFailure(e -> store.close());
      }).onSuccess(m -> LOG.info("master admin ready, data in {}", dataDir));
    }
  }
}
