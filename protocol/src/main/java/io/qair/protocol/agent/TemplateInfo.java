package io.qair.protocol.agent;

/** A template present in a zone's template store, with the SHA-256 of its manifest. */
public record TemplateInfo(String name, String digest, long sizeBytes) {}
