/**
 * The zone agent's HTTPS server: mutual TLS with the master CA, enrollment (key made here, CSR out,
 * certificate in, then enrollment closed for good), and the agent API of docs/dev/contracts.md
 * wired to an {@link io.qair.agent.spi.IsolationBackend}: qube lifecycle, the exec WebSocket that
 * relays qrexec frames with back-pressure, and the events WebSocket.
 */
package io.qair.agent.server;
