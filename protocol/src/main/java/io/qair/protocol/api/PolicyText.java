package io.qair.protocol.api;

/** The text of one policy file (PUT /api/v1/policies/{name}). */
public record PolicyText(String text) {}
