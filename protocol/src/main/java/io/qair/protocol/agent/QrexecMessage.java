package io.qair.protocol.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.regex.Pattern;

/**
 * One text message on the agent's {@code /v1/qrexec} WebSocket, which the master keeps open to
 * every agent (the master dials agents, never the reverse, so the agent's questions travel on a
 * socket the master opened).
 *
 * <ul>
 *   <li>{@code call} (agent to master): qube {@code source} of this zone asks for {@code
 *       service+argument} on {@code target} as it wrote it; {@code id} is the agent's.
 *   <li>{@code decision} (master to agent): {@code allow} with the qube to run it in ({@code
 *       target}, running by now; a disposable made for the call) and the {@code user}, or not,
 *       with a {@code reason}.
 *       A service of the master itself (target {@code dom0}) is answered in the decision:
 *       {@code output} and {@code exitCode}.
 *   <li>{@code decision} with {@code relay} true: allowed, and the target is in another zone. The
 *       master has started the service there; it opens {@code /v1/qrexec/calls/{id}} on this
 *       agent and carries the call's frames between that socket and the target's agent.
 *   <li>{@code ended} (agent to master): the call is over ({@code exitCode}): the master destroys a
 *       disposable it made for it.
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QrexecMessage(String type, String id, String source, String target, String service,
    String argument, Boolean allow, String user, String reason, Integer exitCode, byte[] output, Boolean relay) {
  /** The target that names the master itself: its services answer in the decision ({@link #answered}). */
  public static final String MASTER = "dom0";
  public static final String CALL = "call";
  public static final String DECISION = "decision";
  public static final String ENDED = "ended";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public static QrexecMessage call(String id, String source, String target, String service, String argument) {
    return new QrexecMessage(CALL, id, source, target, service, argument, null, null, null, null, null, null);
  }

  public static QrexecMessage allow(String id, String target, String user) {
    return new QrexecMessage(DECISION, id, null, target, null, null, true, user, null, null, null, null);
  }

  /**
   * Allowed, with {@code target} in another zone: the agent keeps the caller and waits for the
   * master to open the call's data socket ({@code /v1/qrexec/calls/{id}}).
   */
  public static QrexecMessage relayed(String id, String target) {
    return new QrexecMessage(DECISION, id, null, target, null, null, true, null, null, null, null, true);
  }

  /** Whether this decision sends the call's data through the master. */
  public boolean relayed() {
    return Boolean.TRUE.equals(relay);
  }

  public static QrexecMessage deny(String id, String reason) {
    return new QrexecMessage(DECISION, id, null, null, null, null, false, null, reason, null, null, null);
  }

  public static QrexecMessage ended(String id, int exitCode) {
    return new QrexecMessage(ENDED, id, null, null, null, null, null, null, null, exitCode, null, null);
  }

  /**
   * An allowed call the master ran itself (target {@code dom0}): the agent gives the caller
   * {@code output} on STDOUT and {@code exitCode}, and runs nothing in the zone.
   */
  public static QrexecMessage answered(String id, byte[] output, int exitCode) {
    return new QrexecMessage(DECISION, id, null, MASTER, null, null, true, null, null, exitCode, output, null);
  }

  /** Whether {@code id} has the form of a call id (the peer is untrusted either way). */
  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
