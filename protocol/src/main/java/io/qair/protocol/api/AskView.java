package io.qair.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A pending {@code ask}: the call, what may be chosen, and when it is denied if nobody answers (epoch ms). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AskView(String id, String service, String argument, String source, String target,
    List<String> targets, String defaultTarget, String rule, long createdAt, long expiresAt) {}
