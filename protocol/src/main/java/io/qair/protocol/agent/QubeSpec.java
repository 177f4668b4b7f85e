package io.qair.protocol.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Everything an isolation backend needs to start a qube. The master is the source of truth; the
 * agent is given the whole spec on every start.
 *
 * @param klass the qube class name (TemplateVM, AppVM, DispVM, StandaloneVM)
 * @param template for AppVM/DispVM: the template whose root is mounted read-only; for a TemplateVM
 *     its own name
 * @param memoryMb memory limit in MiB
 * @param vcpus CPU limit in whole CPUs
 * @param netvm name of the net qube, or null for no network
 * @param features qube features (e.g. {@code gui=1})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QubeSpec(
    String name,
    String klass,
    String template,
    String label,
    int memoryMb,
    int vcpus,
    String netvm,
    Map<String, String> features) {}
