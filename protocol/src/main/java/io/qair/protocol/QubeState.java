package io.qair.protocol;

/** The power state of a qube, as the zone agent reports it. */
public enum QubeState {
  HALTED,
  STARTING,
  RUNNING,
  HALTING,
  /** The qube stopped on its own with an error, or was killed (for example by its memory limit). */
  CRASHED,
  /** Its zone cannot be reached; the last known state is unknown. */
  UNKNOWN
}
