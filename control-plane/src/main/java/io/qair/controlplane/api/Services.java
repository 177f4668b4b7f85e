package io.qair.controlplane.api;

import io.qair.controlplane.events.EventFeed;
import io.qair.controlplane.policy.AskQueue;
import io.qair.controlplane.policy.PolicyStore;
import io.qair.controlplane.policy.SystemInfo;
import io.qair.controlplane.qrexec.StoreSystemInfo;
import io.qair.controlplane.qube.Disposables;
import io.qair.controlplane.qube.QubeDefaults;
import io.qair.controlplane.qube.QubeLifecycle;
import io.qair.controlplane.qube.QubeProperties;
import io.qair.controlplane.qube.TemplateCatalog;
import io.qair.controlplane.qube.Views;
import io.qair.controlplane.qube.ZoneAdmin;
import io.qair.controlplane.qube.ZoneRuntime;
import io.qair.controlplane.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/** What the operations work with. Built once by the server. */
public record Services(
    Vertx vertx,
    Store store,
    ZoneRuntime runtime,
    ZoneAdmin zoneAdmin,
    QubeDefaults defaults,
    QubeProperties properties,
    Views views,
    QubeLifecycle lifecycle,
    TemplateCatalog templates,
    Disposables disposables,
    EventFeed events,
    PolicyStore policy,
    AskQueue asks,
    OpenApi spec,
    SchemaValidator validator) {

  static Services create(Vertx vertx, Store store, ZoneRuntime runtime, ZoneAdmin zoneAdmin, QubeDefaults defaults,
      EventFeed events, PolicyStore policy, AskQueue asks, OpenApi spec) {
    QubeProperties properties = new QubeProperties(defaults);
    QubeLifecycle lifecycle = new QubeLifecycle(vertx, store, runtime);
    TemplateCatalog templates = new TemplateCatalog(vertx, store, runtime, defaults.zone());
    return new Services(vertx, store, runtime, zoneAdmin, defaults, properties, new Views(properties), lifecycle,
        templates, new Disposables(vertx, store, runtime, lifecycle, templates, defaults), events, policy, asks, spec,
        new SchemaValidator(spec));
  }

  /** The qubes as the policy sees them now. Blocking: call it from {@link #blocking}. */
  public SystemInfo systemInfo() {
    return StoreSystemInfo.snapshot(store, defaults);
  }

  /** Runs blocking work (the store) on a worker thread. */
  public <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
