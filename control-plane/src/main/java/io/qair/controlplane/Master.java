package io.qair.controlplane;

import io.qair.controlplane.api.AdminApiServer;
import io.qair.controlplane.api.ApiToken;
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
 * migrate it), make the zone layer, make the token and the TLS identity, listen, start the zone
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

  /** Master wiring. Defaults: 127.0.0.1:7443, debian-12 in zone local, no zone layer, TLS from {@code DATA_DIR/ca} ({@link MasterPki}). */
  public static final class Builder {
    private final Vertx vertx;
    private final Path dataDir;
    private String host = AdminApiServer.DEFAULT_HOST;
    private int port = AdminApiServer.DEFAULT_PORT;
    private QubeDefaults defaults = QubeDefaults.standard();
    private ZoneLayer.Factory zoneLayer = (v, s, d) -> new UnwiredZoneLayer();
    private Function<Path, KeyCertOptions> tls;

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
              tls.apply(dataDir)};
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
            .host(host)
            .port(port)
            .defaults(defaults)
            .start()
            .compose(api -> zones.start()
                .compose(v -> api.services().disposables().sweep())
                .map(v -> new Master(vertx, store, zones, api)))
            .onFailure(e -> store.close());
      }).onSuccess(m -> LOG.info("master admin ready, data in {}", dataDir));
    }
  }
}
