package io.qair.controlplane.store;

import io.qair.protocol.Label;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;

/**
 * One row of {@code qubes}: the properties that have columns. The others live in
 * {@code qube_properties}.
 *
 * @param template the TemplateVM an AppVM or DispVM runs on, or a StandaloneVM was copied from;
 *     null for a TemplateVM
 * @param netvm the net qube, or null for no network
 */
public record QubeRow(
    String name,
    QubeClass klass,
    String zone,
    Label label,
    String template,
    String netvm,
    int memory,
    int vcpus,
    QubeState state,
    long createdAt) {

  public QubeRow withState(QubeState newState) {
    return new QubeRow(name, klass, zone, label, template, netvm, memory, vcpus, newState, createdAt);
  }
}
