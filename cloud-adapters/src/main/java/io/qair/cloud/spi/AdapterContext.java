package io.qair.cloud.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the master gives every adapter at start.
 *
 * @param stateDir a directory the adapter may use for its own records (0700, owned by the master)
 * @param settings adapter settings from the master's configuration, e.g. {@code agent.dist}
 */
public record AdapterContext(Path stateDir, Map<String, String> settings) {
  public AdapterContext {
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  public Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key)).filter(s -> !s.isBlank());
  }
}
