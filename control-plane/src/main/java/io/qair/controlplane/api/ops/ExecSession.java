package io.qair.controlplane.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.controlplane.api.Services;
import io.qair.controlplane.policy.Decision;
import io.qair.controlplane.policy.PolicyAction;
import io.qair.controlplane.policy.PolicyRequest;
import io.qair.controlplane.qube.ExecRelay;
import io.qair.controlplane.qube.QubeLifecycle;
import io.qair.controlplane.store.QubeRow;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QrexecMessage;
import io.qair.protocol.qrexec.ExitCodes;
import io.qair.protocol.qrexec.Frame;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec call on the Admin API ({@code qair run}): read the {@link ExecRequest}, ask the policy
 * whether {@code qubes.VMShell} from {@code @adminvm} to the target is allowed (an {@code ask}
 * waits for the user; the default policy allows it), make sure the target runs (a new disposable,
 * or a halted qube started), open the agent's exec socket and relay. The command goes as its argv
 * (no shell in between), so what runs is exactly what was asked. A failure before
 * the command runs is told to the client as an ERROR frame and EXIT 126. A disposable is destroyed
 * when the call ends however it ends: command done, client gone, or start failed.
 *
 * <p>Only here, on the Admin API, may a request ask for {@code user: root}, and only for a
 * TemplateVM (to install software its AppVMs get); qrexec calls are made by the agents themselves
 * and always run as the qube's user.
 */
final class ExecSession {
  static final long FIRST_MESSAGE_TIMEOUT_MS = 30_000;
  static final String VM_SHELL = "qubes.VMShell";
  private static final Logger LOG = LoggerFactory.getLogger(ExecSession.class);

  private final Services s;
  private final ServerWebSocket client;
  private final String qube;
  private final String dispTemplate;
  /** For a disposable: whether it gets a display. */
  private final boolean gui;
  private final ObjectMapper json = new ObjectMapper();
  private boolean started;
  private boolean clientClosed;
  private boolean finished;
  private String disposable;

  /** Exactly one of {@code qube} and {@code dispTemplate} is set. */
  ExecSession(Services s, ServerWebSocket client, String qube, String dispTemplate, boolean gui) {
    this.gui = gui;
    this.s = s;
    this.client = client;
    this.qube = qube;
    this.dispTemplate = dispTemplate;
  }

  void run() {
    long timer = s.vertx().setTimer(FIRST_MESSAGE_TIMEOUT_MS, t -> {
      if (!started) {
        fail(QairException.badRequest("no ExecRequest within " + FIRST_MESSAGE_TIMEOUT_MS / 1000 + " s"));
      }
    });
    client.closeHandler(v -> clientClosed = true);
    client.binaryMessageHandler(b -> {
      if (!started) {
        started = true;
        s.vertx().cancelTimer(timer);
        fail(QairException.badRequest("the first message of an exec call must be the ExecRequest, as text"));
      }
    });
    client.textMessageHandler(text -> {
      if (started) {
        return;
      }
      started = true;
      s.vertx().cancelTimer(timer);
      client.pause();
      begin(text);
    });
    client.resume();
  }

  private void begin(String untrustedText) {
    ExecRequest request;
    try {
      JsonNode tree = json.readTree(untrustedText);
      s.validator().validate(tree, s.spec().schema("ExecRequest"), "");
      request = json.treeToValue(tree, ExecRequest.class);
    } catch (QairException e) {
      fail(e);
      return;
    } catch (Exception e) {
      fail(QairException.badRequest("invalid request: the ExecRequest is not valid JSON"));
      return;
    }
    if (request.asRoot() && dispTemplate != null) {
      fail(QairException.badRequest("a disposable has no root user: run as root in its template instead"));
      return;
    }
    Future<String> target = allowedByPolicy().compose(v -> dispTemplate == null
        ? Future.succeededFuture(qube)
        : s.disposables().create(dispTemplate, gui).map(q -> disposable = q.name()));
    target.compose(name -> running(name, request))
        .compose(q -> s.runtime().exec(q.zone(), q.name(), request)
            .recover(e -> Future.failedFuture(QubeLifecycle.zoneError(e, "cannot run the command in '" + q.name() + "'"))))
        .onComplete(ar -> {
          if (ar.failed()) {
            fail(ar.cause());
          } else if (clientClosed) {
            ar.result().close();
            finish();
          } else {
            relay(ar.result());
          }
        });
  }

  private static Future<QubeRow> rootAllowed(QubeRow q, ExecRequest request) {
    if (request.asRoot() && q.klass() != QubeClass.TemplateVM) {
      return Future.failedFuture(QairException.conflict("qube '" + q.name() + "' is a " + q.klass() + " and has no root"
          + " user: only a TemplateVM does; install software in its template (qair run TEMPLATE --user root -- ...)"));
    }
    return Future.succeededFuture(q);
  }

  /** The policy for {@code qubes.VMShell} from the master to the target; fails DENIED unless it allows. */
  private Future<Void> allowedByPolicy() {
    String wanted = dispTemplate == null ? qube : "@dispvm:" + dispTemplate;
    PolicyRequest call = new PolicyRequest(VM_SHELL, "", QrexecMessage.MASTER, wanted);
    Future<Void> known = dispTemplate == null ? Future.succeededFuture()
        : s.templates().ensure(s.defaults().zone(), dispTemplate); // the policy must know the template
    return known.compose(v -> s.blocking(() -> {
      if (dispTemplate != null && s.store().qube(dispTemplate).isEmpty()) {
        throw QairException.badRequest("unknown template '" + dispTemplate + "': list templates with `qair template ls`");
      }
      Decision d = s.policy().evaluate(call, s.systemInfo());
      return d.action() == PolicyAction.ASK ? s.asks().submit(call, d).outcome()
          : java.util.concurrent.CompletableFuture.completedFuture(d);
    })).compose(f -> Future.fromCompletionStage(f, s.vertx().getOrCreateContext())).compose(d -> {
      if (d.action() != PolicyAction.ALLOW) {
        return Future.failedFuture(QairException.denied("the policy refuses " + VM_SHELL + " from @adminvm to "
            + wanted + ": " + d.reason()));
      }
      if (!wanted.equals(d.target())) {
        return Future.failedFuture(QairException.denied("the policy sends " + VM_SHELL + " from @adminvm to "
            + d.target() + " (" + d.rule().location() + "); qair run goes only to " + wanted));
      }
      return Future.succeededFuture();
    });
  }

  private Future<QubeRow> running(String name, ExecRequest request) {
    if (clientClosed) {
      return Future.failedFuture(QairException.badRequest("the client went away"));
    }
    return s.blocking(() -> s.store().read(tx -> tx.requireQube(name))).compose(q -> rootAllowed(q, request))
        .compose(q -> switch (q.state()) {
      case RUNNING -> Future.succeededFuture(q);
      case HALTED, CRASHED -> s.lifecycle().start(name);
      default -> Future.failedFuture(QairException.conflict("qube '" + name + "' is "
          + q.state() + ": wait until it is running or halted, then try again"));
    }).compose(q -> q.state() == QubeState.RUNNING ? Future.succeededFuture(q)
        : Future.failedFuture(QairException.unavailable("qube '" + name + "' did not start (it is " + q.state() + ")", null)));
  }

  private void relay(WebSocket agent) {
    if (disposable == null) {
      ExecRelay.relay(s.vertx(), client, agent).onComplete(v -> finish());
    } else {
      // the caller learns the exit code once the disposable is gone: nothing is left behind then
      ExecRelay.relay(s.vertx(), client, agent, () -> {
        finished = true;
        return s.disposables().destroy(disposable);
      }).onComplete(v -> finish()); // the client went away first: destroy it all the same
    }
  }

  private void fail(Throwable cause) {
    String message;
    if (cause instanceof QairException q && q.kind() != ErrorKind.INTERNAL) {
      message = q.getMessage();
    } else {
      LOG.error("exec call failed", cause);
      message = "internal error: the master's log has the details";
    }
    if (!clientClosed && !client.isClosed()) {
      client.writeBinaryMessage(Buffer.buffer(Frame.error(message).encode()));
      client.writeBinaryMessage(Buffer.buffer(Frame.exit(ExitCodes.REFUSED).encode()));
      client.close();
    }
    finish();
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (disposable != null) {
      s.disposables().destroy(disposable);
    }
  }
}
