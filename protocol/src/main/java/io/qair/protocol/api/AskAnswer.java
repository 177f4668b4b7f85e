package io.qair.protocol.api;

/** The user's answer to a pending {@code ask}: allow (with one of the offered targets, or the suggested one) or deny. */
public record AskAnswer(boolean allow, String target) {}
