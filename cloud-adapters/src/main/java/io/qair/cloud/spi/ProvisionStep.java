package io.qair.cloud.spi;

/**
 * A step of {@link CloudAdapter#provision} that the master records as the zone's step and shows
 * while the user waits ({@code qair zone create}). Its {@link #id} is what {@code zones.step} holds.
 */
public enum ProvisionStep {
  /** The firewall (security group, firewall rule) that opens only the agent port. */
  FIREWALL("firewall"),
  /** Asking the cloud for the instance. */
  LAUNCH("launch"),
  /** Waiting until the instance runs and has an address. */
  BOOT("boot");

  private final String id;

  ProvisionStep(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
