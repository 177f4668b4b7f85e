package io.qair.protocol.agent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Run a command in a running qube. It is the first (text) message of an exec WebSocket; the rest
 * are binary qrexec frames (see {@link io.qair.protocol.qrexec.Frame}).
 *
 * @param argv the command and its arguments
 * @param env extra environment (e.g. {@code QREXEC_REMOTE_DOMAIN})
 * @param user who runs it inside the qube: null or {@link #USER} for the qube's user (uid 1000),
 *     {@link #ROOT} for root, which only a TemplateVM has and only the Admin API may ask for (the
 *     agent never sets it for a qrexec call)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecRequest(List<String> argv, Map<String, String> env, String user) {
  public static final String USER = "user";
  public static final String ROOT = "root";

  @JsonCreator
  public ExecRequest(@JsonProperty("argv") List<String> argv, @JsonProperty("env") Map<String, String> env,
      @JsonProperty("user") String user) {
    this.argv = argv;
    this.env = env;
    this.user = user;
  }

  /** A command run as the qube's user. */
  public ExecRequest(List<String> argv, Map<String, String> env) {
    this(argv, env, null);
  }

  /** True when the command is to run as root. */
  public boolean asRoot() {
    return ROOT.equals(user);
  }
}
