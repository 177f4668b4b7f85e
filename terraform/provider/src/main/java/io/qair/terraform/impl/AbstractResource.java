package io.qair.terraform.impl;

import io.qair.terraform.Unknown;
import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.ManagedResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What the qair resources share: planning computed values and the Admin API client. */
abstract class AbstractResource implements ManagedResource {
  protected final Supplier<AdminClient> admin;

  AbstractResource(Supplier<AdminClient> admin) {
    this.admin = admin;
  }

  /** Computed attributes left out of the configuration become "known after apply" on create. */
  @Override
  public Map<String, Object> plan(Map<String, Object> prior, Map<String, Object> proposed) {
    Map<String, Object> planned = new LinkedHashMap<>(proposed);
    for (Attr a : schema().attributes()) {
      if (a.computed() && planned.get(a.name()) == null && (prior == null || !a.optional())) {
        planned.put(a.name(), prior == null ? Unknown.VALUE : prior.get(a.name()));
      }
    }
    return planned;
  }

  @Override
  public List<Map<String, Object>> importState(String id) {
    Map<String, Object> state = read(schema().complete(Map.of(schema().attributes().get(0).name(), id)));
    if (state == null) {
      throw new io.qair.terraform.spi.ProviderException("no " + typeName().substring(5) + " named \"" + id
          + "\" on the qair master: check the name (the import ID is the name)");
    }
    return List.of(state);
  }
}
