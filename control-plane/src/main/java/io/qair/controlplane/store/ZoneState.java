package io.qair.controlplane.store;

/** The life of a zone, as the zone orchestrator drives it. Stored by name. */
public enum ZoneState {
  PENDING,
  PROVISIONING,
  ENROLLING,
  READY,
  UNREACHABLE,
  FAILED,
  REMOVING
}
