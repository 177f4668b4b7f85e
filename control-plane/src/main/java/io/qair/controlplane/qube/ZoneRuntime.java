package io.qair.controlplane.qube;

import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import java.util.List;

/**
 * How the master runs qubes in a zone: one call per agent API operation. The implementation
 * (the mTLS agent client) is asynchronous and never blocks the event loop. A failure the user
 * should see is a {@link io.qair.protocol.QairException} (UNAVAILABLE when the zone cannot be
 * reached, CONFLICT/NOT_FOUND as the agent answered); anything else is reported as UNAVAILABLE.
 */
public interface ZoneRuntime {
  /** Starts the qube described by {@code spec}; completes when the agent has answered. */
  Future<QubeStatus> start(String zone, QubeSpec spec);

  /** Stops the qube; {@code force} kills it instead of asking it to shut down. */
  Future<QubeStatus> shutdown(String zone, String qube, boolean force);

  /** Removes the qube's volumes in its zone. The qube is halted. */
  Future<Void> remove(String zone, String qube);

  /**
   * Opens the agent's exec WebSocket for a running qube and sends {@code request} as its first
   * (text) message. After that the socket carries binary qrexec frames: STDIN towards the agent;
   * STDOUT, STDERR, ERROR and EXIT from it. The agent closes it after EXIT. Return the socket
   * paused (call {@code ws.pause()} before sending the request): the caller resumes it once its
   * handlers are set, so no frame is lost.
   */
  Future<WebSocket> exec(String zone, String qube, ExecRequest request);

  /** The applications of a qube of class {@code klass} on {@code template}, running or not. */
  default Future<List<io.qair.protocol.agent.AppEntry>> applications(String zone, String qube, String klass,
      String template) {
    return Future.succeededFuture(List.of());
  }

  /**
   * Opens the data socket of qrexec call {@code callId} that the zone's agent holds for one of its
   * qubes (the call's target is in another zone and the master relays it). Binary qrexec frames:
   * the caller's STDIN from the agent; STDOUT, STDERR, ERROR and EXIT to it. Returned paused.
   */
  default Future<WebSocket> callData(String zone, String callId) {
    return Future.failedFuture(io.qair.protocol.QairException.unavailable(
        "zone " + zone + " cannot relay qrexec calls", null));
  }

  /** The templates in the zone's template store. */
  Future<List<TemplateInfo>> templates(String zone);
}
