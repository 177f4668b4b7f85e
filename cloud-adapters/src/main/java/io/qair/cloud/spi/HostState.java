package io.qair.cloud.spi;

/** A zone host's state as its provider reports it. */
public enum HostState {
  /** Being created or booting. */
  PROVISIONING,
  /** Up; the agent should answer at the host's address. */
  RUNNING,
  /** Exists but is stopped; {@link CloudAdapter#start} brings it back. */
  STOPPED,
  /** Being removed. */
  TERMINATING,
  /** The provider says something this adapter does not understand. */
  UNKNOWN
}
