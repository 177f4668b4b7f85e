package io.qair.controlplane.qube;

import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Tx;
import io.qair.controlplane.store.ZoneRow;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.api.QubeView;
import io.qair.protocol.api.ZoneView;
import io.qair.protocol.QubeClass;

/** Rows as the Admin API and the agent API show them. */
public final class Views {
  private final QubeProperties properties;

  public Views(QubeProperties properties) {
    this.properties = properties;
  }

  public QubeView qube(Tx tx, QubeRow q) {
    return new QubeView(q.name(), q.klass().name(), q.state().name(), q.zone(), q.label().wireName(),
        q.template(), q.netvm(), q.memory(), q.vcpus(), tx.tags(q.name()), tx.features(q.name()),
        properties.all(tx, q));
  }

  public static ZoneView zone(Tx tx, ZoneRow z) {
    return zone(z, tx.qubeCount(z.name()));
  }

  /** Every zone, with its qube count from one query (the list is read under the store's lock). */
  public static java.util.List<ZoneView> zones(Tx tx) {
    java.util.Map<String, Integer> counts = tx.qubeCounts();
    return tx.zones().stream().map(z -> zone(z, counts.getOrDefault(z.name(), 0))).toList();
  }

  private static ZoneView zone(ZoneRow z, int qubes) {
    return new ZoneView(z.name(), z.provider(), z.region(), z.state().name(), z.address(), qubes, z.reason(),
        z.options());
  }

  /** What the zone agent needs to start {@code q}: a TemplateVM runs on its own root. */
  public static QubeSpec spec(Tx tx, QubeRow q) {
    String template = q.klass() == QubeClass.TemplateVM ? q.name() : q.template();
    return new QubeSpec(q.name(), q.klass().name(), template, q.label().wireName(), q.memory(), q.vcpus(),
        q.netvm(), tx.features(q.name()));
  }
}
