/**
 * The {@code gcp} cloud adapter: a zone host is a Compute Engine instance (Debian 12 image family,
 * Shielded VM) reached through a firewall rule that opens only the agent port, bootstrapped by
 * metadata {@code user-data} (cloud-init) and {@code startup-script}. google-cloud-compute over REST;
 * credentials from Google application-default credentials, never stored by qair. See
 * docs/cloud-zones.md.
 */
package io.qair.cloud.gcp;
