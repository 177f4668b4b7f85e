package io.qair.protocol.api;

/** A call to decide with the policy in force, without making it: {@code qair policy eval}. */
public record PolicyEvalRequest(String service, String argument, String source, String target) {}
