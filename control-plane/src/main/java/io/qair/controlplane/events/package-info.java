/**
 * The master's event stream: every event the store commits is published on the Vert.x event bus
 * ({@link io.qair.controlplane.events.EventFeed#ADDRESS}), and a feed replays the log from the
 * store before going live, so a client can resume where it stopped.
 */
package io.qair.controlplane.events;
