package io.qair.protocol.api;

/**
 * The first boot of an {@code external} zone's host: cloud-init user-data and the same steps as a
 * startup script (GCE). Both hold a single-use enrollment token that lasts 10 minutes: secret.
 */
public record HostSetupView(String zone, String userData, String startupScript) {
  @Override
  public String toString() {
    return "HostSetupView[zone=" + zone + ", <redacted>]";
  }
}
