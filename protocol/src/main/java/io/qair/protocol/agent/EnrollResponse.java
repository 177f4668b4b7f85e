package io.qair.protocol.agent;

/** The agent's half of enrollment: its CSR and the single-use token it was given. */
public record EnrollResponse(String csrPem, String token) {}
