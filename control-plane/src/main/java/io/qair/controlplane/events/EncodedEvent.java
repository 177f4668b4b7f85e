package io.qair.controlplane.events;

/** An event as it travels: its id and type, and the {@code Event} record as JSON. */
public record EncodedEvent(long id, String type, String json) {}
