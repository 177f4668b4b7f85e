package io.qair.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A qube as the Admin API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QubeView(
    String name,
    String klass,
    String state,
    String zone,
    String label,
    String template,
    String netvm,
    int memory,
    int vcpus,
    List<String> tags,
    Map<String, String> features,
    Map<String, String> properties) {}
