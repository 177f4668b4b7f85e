package io.qair.terraform.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.DataSource;
import io.qair.terraform.spi.TypeSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code qair_labels}: the label palette. */
final class LabelsDataSource implements DataSource {
  private static final TypeSchema SCHEMA = new TypeSchema(0, "The label palette.", List.of(
      Attr.computed("names", Attr.STRING_LIST, "label names in palette order"),
      Attr.computed("colors", Attr.STRING_MAP, "label name -> colour (#rrggbb)")));
  private final Supplier<AdminClient> admin;

  LabelsDataSource(Supplier<AdminClient> admin) {
    this.admin = admin;
  }

  @Override
  public String typeName() {
    return "qair_labels";
  }

  @Override
  public TypeSchema schema() {
    return SCHEMA;
  }

  @Override
  public Map<String, Object> read(Map<String, Object> config) {
    JsonNode labels = admin.get().get("/api/v1/labels").orElseThrow();
    List<Object> names = new ArrayList<>();
    Map<String, Object> colors = new LinkedHashMap<>();
    labels.forEach(l -> {
      names.add(l.path("name").asText());
      colors.put(l.path("name").asText(), l.path("color").asText());
    });
    return SCHEMA.complete(Values.map("names", names, "colors", colors));
  }
}
