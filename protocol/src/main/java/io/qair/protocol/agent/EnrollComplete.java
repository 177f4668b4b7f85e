package io.qair.protocol.agent;

/** The master's last word in enrollment: the agent's certificate, issued by the master CA. */
public record EnrollComplete(String certPem, String caCertPem) {}
