/**
 * Qube rules shared by the Admin API operations (property validation and defaults, views,
 * template registration, disposables), and the two interfaces through which the master reaches
 * its zones: {@link io.qair.controlplane.qube.ZoneRuntime} (run qubes in a zone) and
 * {@link io.qair.controlplane.qube.ZoneAdmin} (create and remove zones).
 */
package io.qair.controlplane.qube;
