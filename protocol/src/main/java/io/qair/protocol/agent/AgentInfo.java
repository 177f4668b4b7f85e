package io.qair.protocol.agent;

import java.util.List;

/** The answer to {@code GET /v1/info}. */
public record AgentInfo(
    String zone, String version, String backend, List<TemplateInfo> templates, List<QubeStatus> qubes) {}
