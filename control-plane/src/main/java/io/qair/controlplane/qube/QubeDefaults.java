package io.qair.controlplane.qube;

import io.qair.protocol.Names;

/**
 * The master's defaults for new qubes.
 *
 * @param template the TemplateVM of a new AppVM, DispVM or StandaloneVM, and of {@code @dispvm}
 * @param zone the zone of a new qube
 */
public record QubeDefaults(String template, String zone) {
  public static final int MEMORY_MIB = 400;
  public static final int MIN_MEMORY_MIB = 64;
  public static final int MAX_MEMORY_MIB = 65536;
  public static final int VCPUS = 2;
  public static final int MAX_VCPUS = 64;

  public QubeDefaults {
    Names.requireQubeName(template);
    Names.requireZoneName(zone);
  }

  public static QubeDefaults standard() {
    return new QubeDefaults("debian-12", "local");
  }
}
