package io.qair.protocol.api;

/** One policy file: its name (without {@code .policy}) and its text. */
public record PolicyFile(String name, String text) {}
