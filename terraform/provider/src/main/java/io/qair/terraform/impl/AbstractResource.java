package io.qair.terraform.impl;

import io.qair.terraform.Unknown;
import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.ManagedResource;
import io.qair.terraform.spi.TypeSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What the qair resources share: planning computed values and the Admin API client. */
abstract class AbstractResource implements ManagedResource {
  protected final Supplier<AdminClient> admin;
  private final String typeName;
  private final TypeSchema schema;

  AbstractResource(String typeName, TypeSchema schema, Supplier<AdminClient> admin) {
    this.typeName = typeName;
    this.schema = schema;
    this.admin = admin;
  }

  @Override
  public final String typeName() {
    return typeName;
  }

  @Override
  public final TypeSchema schema() {
    return schema;
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
