package io.qair.protocol.api;

import java.util.Map;

/** Request to create a zone through a cloud adapter ({@code local}, {@code aws}, {@code gcp}). */
public record ZoneCreate(String name, String provider, String region, Map<String, String> options) {}
