/**
 * The qrexec stream framing: one 5-byte header ({@code type}, big-endian {@code u32} length) then
 * the payload, at most {@link io.qair.protocol.qrexec.Frame#MAX_PAYLOAD} bytes. It is used on every
 * hop of a call: qube to agent (unix socket), agent to master (WebSocket binary messages), and the
 * in-qube guest daemon. An empty STDIN/STDOUT/STDERR frame is end-of-file for that stream.
 */
package io.qair.protocol.qrexec;
