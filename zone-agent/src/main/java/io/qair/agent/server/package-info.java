/**
 * The zone agent's HTTPS server: the agent API of docs/dev/contracts.md wired to an
 * {@link io.qair.agent.spi.IsolationBackend}.
 *
 * <p>Trust: every connection needs a client certificate that chains to the master CA the agent
 * was provisioned with (pinned by SHA-256 with {@code --ca-fingerprint}) and whose CN is
 * {@code qair-master} or {@code qair-gateway}; a certificate of another zone's agent, from the
 * same CA, is refused. Before enrollment the agent serves a self-signed certificate for its own key
 * and answers only {@code /v1/enroll} (CSR + token) and {@code /v1/enroll/complete} (the issued
 * certificate: checked for this key, this CA and this zone, stored, then served); after, those two
 * are 404 for good.
 *
 * <p>Files in the data dir (0700): {@code agent.key} (0600, never sent), {@code agent-selfsigned.pem},
 * {@code agent.pem} (present = enrolled), {@code master-ca.pem}, {@code agent.port}.
 *
 * <p>Exec: the first text message is an {@code ExecRequest}, then binary qrexec frames; stdin is
 * written on a per-session worker and the socket is paused while writes wait; output waits while
 * the socket's write queue is full. Blocking backend calls never run on the event loop.
 *
 * <p>qrexec: {@code /v1/qrexec} is the link on which the agent's {@link io.qair.agent.qrexec.QrexecDaemon}
 * asks the master for decisions; only a {@code qair-master} certificate may open it (the gateway's
 * may not).
 */
package io.qair.agent.server;
