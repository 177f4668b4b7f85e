/**
 * The isolation SPI: how a zone agent runs qubes, whatever the isolation technology. Backends are
 * found with {@link java.util.ServiceLoader}; each says whether it can run here. The interface
 * speaks of qubes, volumes and commands, never of namespaces, so a KVM backend fits too.
 */
package io.qair.agent.spi;
