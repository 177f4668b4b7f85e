package io.qair.controlplane.api.ops;

import io.qair.controlplane.api.ApiRequest;
import io.qair.controlplane.api.Operation;
import io.qair.controlplane.api.Reply;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.qube.QubeDefaults;
import io.qair.controlplane.qube.QubeProperties;
import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.Label;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.qair.protocol.api.QubeCreate;
import io.vertx.core.Future;

/**
 * POST /api/v1/qubes. Defaults: class AppVM, the default template and zone, 400 MiB, 2 vcpus,
 * no net qube. The zone must be READY; the template a TemplateVM of that zone (a TemplateVM has
 * none); the net qube a qube of that zone. The new qube is HALTED; its zone is not contacted.
 */
final class CreateQube implements Operation {
  private final Services s;

  CreateQube(Services s) {
    this.s = s;
  }

  @Override
  public Future<Reply> handle(ApiRequest request) {
    QubeCreate b = request.body(QubeCreate.class);
    String name = Names.requireQubeName(b.name());
    QubeClass klass = b.klass() == null ? QubeClass.AppVM : QubeClass.parse(b.klass());
    Label label = Label.parse(b.label());
    String zone = b.zone() == null ? s.defaults().zone() : Names.requireZoneName(b.zone());
    int memory = QubeProperties.memory(b.memory() == null ? QubeDefaults.MEMORY_MIB : b.memory());
    int vcpus = QubeProperties.vcpus(b.vcpus() == null ? QubeDefaults.VCPUS : b.vcpus());
    String template;
    if (klass == QubeClass.TemplateVM) {
      if (b.template() != null) {
        throw QairException.badRequest("a TemplateVM has no template: leave the template out");
      }
      template = null;
    } else {
      template = b.template() == null ? s.defaults().template() : Names.requireQubeName(b.template());
    }
    String netvm = b.netvm() == null || b.netvm().isEmpty() ? null : Names.requireQubeName(b.netvm());
    return s.templates().ensure(zone, template).compose(v -> s.blocking(() -> s.store().write(tx -> {
      if (tx.qube(name).isPresent()) {
        throw QairException.conflict("qube '" + name + "' already exists: choose another name");
      }
      ZoneRow z = tx.zone(zone).orElseThrow(() -> QairException.badRequest("unknown zone '" + zone
          + "': list zones with `qair zone ls`"));
      if (z.state() != ZoneState.READY) {
        throw QairException.conflict("zone '" + zone + "' is " + z.state() + ", not READY: wait until it is"
            + " (`qair zone ls`), or choose another zone");
      }
      if (template != null) {
        QubeProperties.requireTemplate(tx, template, zone);
      }
      if (netvm != null) {
        QubeProperties.requireNetvm(tx, netvm, zone, name);
      }
      QubeRow q = tx.insertQube(new QubeRow(name, klass, zone, label, template, netvm, memory, vcpus,
          QubeState.HALTED, 0));
      return s.views().qube(tx, q);
    }))).map(Reply::created);
  }
}
