/**
 * What the cloud adapters share: the zone host's first-boot setup ({@link io.qair.cloud.bootstrap.HostSetup},
 * rendered as cloud-init user-data or as a shell startup script), zone options common to every
 * cloud ({@link io.qair.cloud.bootstrap.CommonOptions}), the adapter's own small per-zone records
 * ({@link io.qair.cloud.bootstrap.ZoneRecords}) and polling ({@link io.qair.cloud.bootstrap.Poller}).
 */
package io.qair.cloud.bootstrap;
