package io.qair.protocol.agent;

/**
 * Sent by the master to a fresh agent: the master's CA certificate and the zone name. The agent
 * answers with {@link EnrollResponse}: a CSR for a key pair it made itself, and the enrollment
 * token it was provisioned with, which the master checks and burns.
 */
public record EnrollRequest(String zone, String caCertPem) {}
