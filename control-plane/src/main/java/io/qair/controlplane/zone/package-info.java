/**
 * The master's side of zones: its PKI ({@link io.qair.controlplane.zone.MasterPki}), enrollment
 * tokens and the enrollment client, the mutual-TLS agent client that pins each agent's
 * certificate, and the {@link io.qair.controlplane.zone.ZoneManager} that creates and removes zones
 * through cloud adapters. Storage is reached through {@link io.qair.controlplane.zone.ZoneLedger}.
 */
package io.qair.controlplane.zone;
