package io.qair.controlplane.policy;

import io.qair.protocol.QubeClass;
import java.util.Objects;
import java.util.Set;

/**
 * What the policy needs to know of one qube.
 *
 * @param zone the zone the qube lives in
 * @param defaultDispvm the qube's {@code default_dispvm} (a template for disposables), or null
 * @param templateForDispvms the qube's {@code template_for_dispvms} property: disposables may be
 *     made from it
 * @param template the qube's template, or null; for a disposable, the qube it was made from
 * @param running whether the qube is running now ({@code autostart=no} needs it)
 */
public record QubeInfo(String name, QubeClass qubeClass, Set<String> tags, String zone,
    String defaultDispvm, boolean templateForDispvms, String template, boolean running) {
  public QubeInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(qubeClass, "qubeClass");
    tags = Set.copyOf(tags);
    Objects.requireNonNull(zone, "zone");
  }
}
