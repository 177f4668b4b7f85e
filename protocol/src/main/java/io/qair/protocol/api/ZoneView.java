package io.qair.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A zone as the master knows it.
 *
 * @param state PENDING, PROVISIONING, ENROLLING, READY, UNREACHABLE, FAILED, REMOVING
 * @param reason why the zone is FAILED or UNREACHABLE; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ZoneView(
    String name,
    String provider,
    String region,
    String state,
    String address,
    int qubes,
    String reason,
    Map<String, String> options) {}
