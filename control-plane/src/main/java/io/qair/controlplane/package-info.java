/**
 * The master admin: {@link io.qair.controlplane.Master} wires the store, the zone layer and the
 * Admin API; {@link io.qair.controlplane.MasterMain} runs it.
 */
package io.qair.controlplane;
