package io.qair.terraform.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The schema of one resource or data source type: a version and its attributes. */
public record TypeSchema(long version, String description, List<Attr> attributes) {

  /** {@code values} with every attribute present (null when missing), in schema order. */
  public Map<String, Object> complete(Map<String, ?> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Attr a : attributes) {
      out.put(a.name(), values == null ? null : values.get(a.name()));
    }
    return out;
  }
}
