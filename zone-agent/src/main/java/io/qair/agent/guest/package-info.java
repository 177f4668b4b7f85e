/**
 * The agent's side of the in-qube guest daemon protocol, over one unix socket per qube. Every
 * message is a qrexec {@link io.qair.protocol.qrexec.Frame}.
 *
 * <ol>
 *   <li>The guest connects and sends HELLO: this is the control connection (the newest one wins;
 *       the guest reconnects after an agent restart).
 *   <li>For each command the agent sends EXEC (id, argv, env) on the control connection.
 *   <li>The guest opens a new connection and sends DATA_HELLO(id); then STDIN frames flow in and
 *       STDOUT/STDERR frames out (empty = end of file), and EXIT ends it (127: could not run).
 *       The agent half-closing a data connection kills the command's process group.
 *   <li>A qube's {@code qrexec-client-vm} opens a connection and sends CALL ("TARGET\0SERVICE+ARG\0"),
 *       then STDIN frames; it gets STDOUT/STDERR frames and EXIT (126 refused, 127 no such service).
 *       The source of the call is the qube whose socket it came on.
 * </ol>
 *
 * Everything from the qube is untrusted: frames are bounded by the protocol module's decoder, a
 * connection must identify itself within 5 s, at most 32 may be unidentified at once, and only
 * data connections the agent asked for are accepted.
 */
package io.qair.agent.guest;
