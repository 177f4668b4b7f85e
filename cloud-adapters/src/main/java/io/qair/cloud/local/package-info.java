/**
 * The {@code local} cloud adapter: zone agents as processes on this machine, on loopback ports,
 * with a state file per zone so a restarted master finds, restarts or stops them.
 */
package io.qair.cloud.local;
