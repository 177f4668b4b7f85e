package io.qair.protocol.api;

/** The value of one qube property, tag or feature: always a string on the wire. */
public record PropertyValue(String value) {}
