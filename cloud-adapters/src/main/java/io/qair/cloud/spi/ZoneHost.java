package io.qair.cloud.spi;

/**
 * A zone host as its provider knows it.
 *
 * @param address where the agent listens, {@code HOST:PORT} (null while the provider has not
 *     assigned one)
 * @param providerId the provider's own id (EC2 instance id, GCE instance name, local pid)
 */
public record ZoneHost(String zone, String address, String providerId, HostState state) {}
