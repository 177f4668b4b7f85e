package io.qair.protocol.api;

/**
 * Every Admin API and agent API error: the kind (see {@link io.qair.protocol.ErrorKind}) and a
 * message for the user.
 */
public record ErrorBody(String error, String message) {}
