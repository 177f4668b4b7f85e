package io.qair.agent.server;

import io.qair.agent.display.DisplayHub;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.pki.Certificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/qubes/:qube/display}: a WebSocket of Guacamole instructions for one viewer of the
 * qube's display (docs/dev/display.md). Only the gateway (or the master) may watch.
 */
final class DisplayRoute {
  private static final Logger LOG = LoggerFactory.getLogger(DisplayRoute.class);
  private static final Set<String> VIEWERS = Set.of(Certificates.GATEWAY_CN, Certificates.MASTER_CN);

  private final Vertx vertx;
  private final DisplayHub hub;

  DisplayRoute(Vertx vertx, DisplayHub hub) {
    this.vertx = vertx;
    this.hub = hub;
  }

  void handle(RoutingContext ctx) {
    String cn;
    try {
      cn = Certificates.commonName((X509Certificate) ctx.request().connection().peerCertificates().get(0));
    } catch (Exception e) {
      cn = null;
    }
    if (!VIEWERS.contains(cn)) {
      ctx.fail(QairException.denied("only the gateway may watch a qube's display"));
      return;
    }
    String qube = Names.requireQubeName(ctx.pathParam("qube"));
    // connect to the qube's display first, so a refusal is a plain HTTP error
    ctx.request().pause();
    vertx.executeBlocking(() -> hub.connect(qube), false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      DisplayHub.Connection conn = ar.result();
      ctx.request().toWebSocket().onSuccess(ws -> attach(qube, ws, conn)).onFailure(e -> {
        conn.abandon();
        ctx.fail(QairException.badRequest("the display needs a WebSocket upgrade"));
      });
    });
  }

  private void attach(String qube, ServerWebSocket ws, DisplayHub.Connection conn) {
    var session = conn.start(ws::writeTextMessage, () -> vertx.runOnContext(v -> {
      if (!ws.isClosed()) {
        ws.close((short) 1011, "display ended");
      }
    }));
    ws.textMessageHandler(text -> vertx.executeBlocking(() -> {
      session.receive(text);
      return null;
    }, true));
    ws.closeHandler(v -> vertx.executeBlocking(() -> {
      session.close();
      return null;
    }, false));
    ws.exceptionHandler(e -> LOG.debug("qube {}: viewer connection: {}", qube, e.getMessage()));
  }
}
