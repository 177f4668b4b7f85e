package io.qair.protocol.agent;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What an agent reports for one qube. {@code reason} explains a CRASHED state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QubeStatus(String name, String state, String reason) {}
