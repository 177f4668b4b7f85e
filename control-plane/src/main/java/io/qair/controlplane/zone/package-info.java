/**
 * The master's side of zones.
 *
 * <ul>
 *   <li>{@link io.qair.controlplane.zone.MasterPki}: the CA and the master's own certificates in
 *       {@code MASTER_DATA/ca/} (CN {@code qair-master})
 *   <li>{@link io.qair.controlplane.zone.EnrollmentTokens}: single-use, 10-minute, zone-bound
 *       tokens; only their SHA-256 is stored
 *   <li>{@link io.qair.controlplane.zone.Enroller}: accepts the fresh agent's self-signed
 *       certificate only for its key, requires the CSR to be for that key, burns the token, issues
 *       CN = zone, SAN = the dialed host
 *   <li>{@link io.qair.controlplane.zone.AgentClient}: mutual TLS that trusts one agent
 *       certificate: from the CA, CN = zone, the serial pinned at enrollment, not revoked, naming
 *       the dialed host
 *   <li>{@link io.qair.controlplane.zone.ZoneManager}: create / remove zones through a cloud
 *       adapter; {@link io.qair.controlplane.zone.ZoneProvisioner} drives a zone step by step, each
 *       step recorded before its side effect, and resumes it after a crash;
 *       {@link io.qair.controlplane.zone.ZoneReconciler} (at start and periodically) finishes or
 *       cleans up interrupted work, removes hosts the store does not know and reports lost ones
 * </ul>
 *
 * <p>Storage is reached through {@link io.qair.controlplane.zone.ZoneLedger}
 * ({@link io.qair.controlplane.zone.StoreLedger} over the SQLite store). Zone names starting with
 * {@code qair-} are reserved: agents accept those CNs as clients.
 */
package io.qair.controlplane.zone;
