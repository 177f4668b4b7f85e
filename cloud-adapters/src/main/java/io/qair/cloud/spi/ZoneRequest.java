package io.qair.cloud.spi;

import java.util.Map;

/**
 * What the master asks of an adapter: a host for zone {@code name}.
 *
 * @param region provider region or zone (e.g. {@code eu-west-1}); null for {@code local}
 * @param options provider-specific options (instance type, image...), validated by the adapter
 */
public record ZoneRequest(String name, String region, Map<String, String> options) {
  public ZoneRequest {
    options = options == null ? Map.of() : Map.copyOf(options);
  }
}
