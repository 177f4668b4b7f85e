package io.qair.protocol.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Run a command in a running qube. It is the first (text) message of an exec WebSocket; the rest
 * are binary qrexec frames (see {@link io.qair.protocol.qrexec.Frame}).
 *
 * @param argv the command and its arguments
 * @param env extra environment (e.g. {@code QREXEC_REMOTE_DOMAIN})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecRequest(List<String> argv, Map<String, String> env) {}
