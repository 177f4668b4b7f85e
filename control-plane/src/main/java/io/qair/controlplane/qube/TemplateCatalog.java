package io.qair.controlplane.qube;

import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.Label;
import io.qair.protocol.Names;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.TemplateInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the templates a zone's template store holds as TemplateVM qubes, so that qubes can
 * name them. A template is registered the first time it is needed (a new qube names it, or
 * someone lists templates); a zone that cannot be reached just registers nothing.
 *
 * <p>A store template has one name and one TemplateVM qube, kept in the master's default zone
 * when that zone has it (it is asked first), else in the first zone that reported it. Every zone
 * that reports a template of that name is recorded ({@code zone_templates}): its qubes may use
 * the template too, each zone running its own copy from its own store.
 */
public final class TemplateCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(TemplateCatalog.class);

  private final Vertx vertx;
  private final Store store;
  private final ZoneRuntime runtime;
  private final String defaultZone;

  public TemplateCatalog(Vertx vertx, Store store, ZoneRuntime runtime, String defaultZone) {
    this.vertx = vertx;
    this.store = store;
    this.runtime = runtime;
    this.defaultZone = defaultZone;
  }

  /** Makes sure {@code template} is registered if zone {@code zone} has it. Never fails. */
  public Future<Void> ensure(String zone, String template) {
    if (template == null || !Names.isValidQubeName(template) || zone == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> store.read(tx -> tx.zone(zone).map(z -> z.state() != ZoneState.READY).orElse(true)
            || tx.qube(template).isPresent() && (tx.qube(template).get().zone().equals(zone)
            || tx.zoneHasTemplate(zone, template))), false)
        .compose(known -> known ? Future.succeededFuture() : syncDefaultFirst(List.of(zone)))
        .recover(e -> Future.succeededFuture());
  }

  /** Registers the missing templates of every READY zone. Never fails. */
  public Future<Void> syncAll() {
    return vertx.executeBlocking(store::zones, false).compose(zones -> syncDefaultFirst(zones.stream()
        .filter(z -> z.state() == ZoneState.READY).map(ZoneRow::name).toList()));
  }

  /** The default zone (if READY) first, so its templates keep their qube there; then {@code zones} together. */
  private Future<Void> syncDefaultFirst(List<String> zones) {
    Future<Void> first = vertx.executeBlocking(() -> store.zone(defaultZone)
        .map(z -> z.state() == ZoneState.READY).orElse(false), false)
        .compose(ready -> ready ? sync(defaultZone) : Future.succeededFuture());
    return first.compose(v -> {
      List<Future<Void>> all = new ArrayList<>();
      for (String z : zones) {
        if (!z.equals(defaultZone)) {
          all.add(sync(z));
        }
      }
      return Future.join(all).<Void>mapEmpty();
    }).recover(e -> Future.succeededFuture());
  }

  private Future<Void> sync(String zone) {
    return runtime.templates(zone)
        .compose(list -> vertx.executeBlocking(() -> register(zone, list), false))
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("cannot list the templates of zone {}: {}", zone, e.getMessage());
          return Future.succeededFuture();
        });
  }

  private int register(String zone, List<TemplateInfo> templates) {
    return store.write(tx -> {
      int added = 0;
      for (TemplateInfo t : templates) {
        if (!Names.isValidQubeName(t.name()) || tx.zone(zone).isEmpty()) {
          continue;
        }
        tx.recordZoneTemplate(zone, t.name());
        if (tx.qube(t.name()).isPresent()) {
          continue;
        }
        tx.insertQube(new QubeRow(t.name(), QubeClass.TemplateVM, zone, Label.BLACK, null, null,
            QubeDefaults.MEMORY_MIB, QubeDefaults.VCPUS, QubeState.HALTED, 0));
        added++;
      }
      return added;
    });
  }
}
