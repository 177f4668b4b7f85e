package io.qair.protocol.api;

/** Request to adopt an {@code external} zone's host: the address or DNS name the master reaches it at. */
public record ZoneAdopt(String host) {}
