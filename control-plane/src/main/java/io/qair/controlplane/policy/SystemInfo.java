package io.qair.controlplane.policy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The qubes the master knows, as the policy sees them. The master qube ({@code dom0}, {@code
 * @adminvm}) is implicit: it is not listed here.
 */
public interface SystemInfo {
  Optional<QubeInfo> qube(String name);

  /** Every qube, in a stable order. */
  Collection<QubeInfo> qubes();

  /** A fixed snapshot of {@code qubes}. */
  static SystemInfo of(Collection<QubeInfo> qubes) {
    Map<String, QubeInfo> byName = new LinkedHashMap<>();
    for (QubeInfo q : qubes) {
      byName.put(q.name(), q);
    }
    List<QubeInfo> all = List.copyOf(byName.values());
    return new SystemInfo() {
      @Override
      public Optional<QubeInfo> qube(String name) {
        return Optional.ofNullable(byName.get(name));
      }

      @Override
      public Collection<QubeInfo> qubes() {
        return all;
      }
    };
  }
}
