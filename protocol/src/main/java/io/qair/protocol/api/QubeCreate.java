package io.qair.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Request to create a qube. Null fields take defaults: class AppVM, the default template, the
 * default zone, 400 MiB, 2 vcpus, no net qube.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QubeCreate(
    String name,
    String klass,
    String label,
    String template,
    String zone,
    Integer memory,
    Integer vcpus,
    String netvm) {}
