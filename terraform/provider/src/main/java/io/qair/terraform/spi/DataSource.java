package io.qair.terraform.spi;

import java.util.Map;

/** One data source type: a read from a configuration. */
public interface DataSource {

  String typeName();

  TypeSchema schema();

  Map<String, Object> read(Map<String, Object> config);
}
