/**
 * The remote-desktop gateway (issue 4): login, the browser desktop, the Guacamole WebSocket tunnel
 * toward the zone agents' display services, label-coloured window frames, the secure clipboard.
 * Not built yet; the module exists so the build layout is final.
 */
package io.qair.desktop;
