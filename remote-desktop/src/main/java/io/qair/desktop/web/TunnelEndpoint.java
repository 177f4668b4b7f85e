package io.qair.desktop.web;

import io.qair.desktop.auth.Session;
import io.qair.desktop.auth.SessionStore;
import io.qair.desktop.master.MasterClient;
import io.qair.desktop.tunnel.AgentConnector;
import io.qair.desktop.tunnel.Tunnel;
import io.qair.desktop.tunnel.TunnelLimits;
import io.qair.protocol.Names;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /tunnel?qube=NAME}: the WebSocket (subprotocol {@code guacamole}) of one qube's
 * display. Refused with 403 and no upgrade without a live session cookie or with an Origin that
 * is not the gateway's own (cross-site WebSocket hijacking); 400 without the subprotocol or with
 * a bad qube name; 429 past {@link TunnelLimits#TUNNELS_PER_SESSION} open tunnels.
 */
final class TunnelEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(TunnelEndpoint.class);

  private final Vertx vertx;
  private final SessionStore sessions;
  private final Origins origins;
  private final MasterClient master;
  private final AgentConnector connector;

  TunnelEndpoint(Vertx vertx, SessionStore sessions, Origins origins, MasterClient master, AgentConnector connector) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.origins = origins;
    this.master = master;
    this.connector = connector;
  }

  void handle(RoutingContext ctx) {
    Optional<Session> session = sessions.find(Cookies.session(ctx));
    if (session.isEmpty() || !origins.originAllowed(ctx.request().getHeader("Origin"))) {
      LOG.info("refused a display WebSocket from {}: {}", ctx.request().remoteAddress(),
          session.isEmpty() ? "no session" : "foreign Origin");
      refuse(ctx, 403, "forbidden");
      return;
    }
    String protocols = ctx.request().getHeader("Sec-WebSocket-Protocol");
    if (protocols == null || Arrays.stream(protocols.split(",")).map(String::strip).noneMatch("guacamole"::equals)) {
      refuse(ctx, 400, "the tunnel speaks the guacamole subprotocol only");
      return;
    }
    String qube = ctx.request().getParam("qube");
    if (!Names.isValidQubeName(qube)) {
      refuse(ctx, 400, "invalid qube name");
      return;
    }
    Session s = session.get();
    if (!s.reserveTunnel(TunnelLimits.TUNNELS_PER_SESSION)) {
      refuse(ctx, 429, "too many open displays in this session");
      return;
    }
    ctx.request().toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        s.releaseTunnel();
        LOG.debug("display WebSocket upgrade failed: {}", ar.cause().getMessage());
        return;
      }
      Tunnel.open(vertx, ar.result(), s, qube, master, connector, () -> sessions.touch(s), s::releaseTunnel);
    });
  }

  private static void refuse(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(message + "\n");
  }
}
