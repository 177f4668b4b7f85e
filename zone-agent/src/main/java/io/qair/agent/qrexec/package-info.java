/**
 * The zone's qrexec daemon: the calls qubes make ({@code qrexec-client-vm}, a CALL frame on the
 * qube's socket) are checked here, decided by the master over {@link io.qair.agent.qrexec.MasterLink}
 * ({@code /v1/qrexec}, a WebSocket the master keeps open), and joined to the service run in the
 * target through the isolation backend's exec. See docs/qrexec.md.
 */
package io.qair.agent.qrexec;
