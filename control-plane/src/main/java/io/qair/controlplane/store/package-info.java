/**
 * The master's state in SQLite: zones, enrollment tokens, revoked certificates, qubes with their
 * properties, tags and features, and the event log. {@link io.qair.controlplane.store.Store} is
 * blocking JDBC: call it off the event loop. Every mutation is one transaction, and the events it
 * records are published to the store's listener only after it commits.
 */
package io.qair.controlplane.store;
