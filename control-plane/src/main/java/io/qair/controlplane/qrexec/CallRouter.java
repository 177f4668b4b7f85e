package io.qair.controlplane.qrexec;

import io.qair.controlplane.api.Services;
import io.qair.controlplane.policy.Decision;
import io.qair.controlplane.policy.PolicyAction;
import io.qair.controlplane.policy.PolicyRequest;
import io.qair.controlplane.qube.ExecRelay;
import io.qair.controlplane.store.QubeRow;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QrexecMessage;
import io.qair.protocol.qrexec.ServiceCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's half of a qrexec call. For each {@code call} an agent sends: the source must be a
 * qube of that agent's zone; the policy in force decides (an {@code ask} waits in the {@link
 * io.qair.controlplane.policy.AskQueue}); an allowed call is made possible: a new disposable is
 * made and started for {@code @dispvm:NAME} (and destroyed when the agent says the call ended, or
 * the link drops), a halted target is started unless {@code autostart=no}. Only then the agent is
 * told to connect the call to the target. A call to the master itself ({@code dom0}) is answered by
 * {@link MasterServices} in the decision.
 *
 * <p>A target in another zone: the master starts the service there through that zone's agent (its
 * exec socket, {@link ServiceCall}), tells the caller's agent {@code relay}, opens the call's data
 * socket on it and relays the frames between the two agents ({@link ExecRelay}), so the two zones
 * never talk to each other and nothing flows before the policy allowed it.
 */
public final class CallRouter implements CallDecider {
  /** Most calls in flight over all zones; more are denied at once. */
  static final int MAX_CALLS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(CallRouter.class);
  private static final long START_WAIT_MS = 60_000;

  private final Services s;
  private final PolicyNotices notices;
  private final Map<String, Call> calls = new ConcurrentHashMap<>();

  private static final class Call {
    final String zone;
    volatile String disposable;
    volatile boolean ended;

    Call(String zone) {
      this.zone = zone;
    }
  }

  public CallRouter(Services services) {
    this.s = services;
    this.notices = new PolicyNotices(services.store());
  }

  @Override
  public Future<QrexecMessage> decide(String zone, QrexecMessage m) {
    String key = zone + "/" + m.id();
    if (calls.size() >= MAX_CALLS) {
      return Future.succeededFuture(QrexecMessage.deny(m.id(), "too many calls in flight"));
    }
    Call call = new Call(zone);
    if (calls.putIfAbsent(key, call) != null) {
      return Future.succeededFuture(QrexecMessage.deny(m.id(), "duplicate call id"));
    }
    PolicyRequest request;
    try {
      request = new PolicyRequest(m.service(), m.argument(), m.source(), m.target());
    } catch (QairException e) {
      calls.remove(key);
      return Future.succeededFuture(QrexecMessage.deny(m.id(), e.getMessage()));
    }
    return s.blocking(() -> policy(zone, request))
        .compose(outcome -> Future.fromCompletionStage(outcome, s.vertx().getOrCreateContext()))
        .compose(d -> s.blocking(() -> {
          notices.decided(request, d);
          return d;
        }))
        .compose(d -> d.action() == PolicyAction.ALLOW ? connect(zone, m, d, call)
            : Future.succeededFuture(QrexecMessage.deny(m.id(), d.reason())))
        .recover(e -> {
          if (e instanceof QairException q) {
            return Future.succeededFuture(QrexecMessage.deny(m.id(), q.getMessage()));
          }
          LOG.warn("qrexec {}: deciding call {} failed", zone, m.id(), e);
          return Future.succeededFuture(QrexecMessage.deny(m.id(), "the master could not decide"));
        })
        .onSuccess(d -> {
          LOG.info("qrexec {}: {} -> {} {}{}: {}", zone, m.source(), m.target(), m.service(),
              m.argument() == null || m.argument().isEmpty() ? "" : "+" + m.argument(),
              Boolean.TRUE.equals(d.allow()) ? "allowed, target " + d.target() : "denied: " + d.reason());
          if (!Boolean.TRUE.equals(d.allow())) {
            calls.remove(key);
          }
        });
  }

  /** Blocking: the checks and the policy; an {@code ask} completes when the user answers or it expires. */
  private CompletableFuture<Decision> policy(String zone, PolicyRequest request) {
    Optional<QubeRow> source = s.store().qube(request.source());
    if (source.isEmpty() || !source.get().zone().equals(zone)) {
      throw QairException.badRequest("the source qube " + request.source() + " is not in zone " + zone);
    }
    Decision d = s.policy().evaluate(request, s.systemInfo());
    if (d.action() == PolicyAction.ASK) {
      return s.asks().submit(request, d).outcome();
    }
    return CompletableFuture.completedFuture(d);
  }

  private Future<QrexecMessage> connect(String zone, QrexecMessage m, Decision d, Call call) {
    String target = d.target();
    if (target.equals(QrexecMessage.MASTER)) {
      return Future.succeededFuture(MasterServices.run(m)
          .map(out -> QrexecMessage.answered(m.id(), out, 0))
          .orElseGet(() -> QrexecMessage.deny(m.id(), "the master (dom0) has no service " + m.service())));
    }
    if (target.startsWith("@dispvm:")) {
      String template = target.substring("@dispvm:".length());
      return s.disposables().create(template).compose(row -> {
        call.disposable = row.name();
        return s.lifecycle().start(row.name());
      }).compose(row -> {
        if (call.ended) {
          s.disposables().destroy(row.name());
        }
        return reach(zone, m, d, call, row);
      }).onFailure(e -> {
        if (call.disposable != null) {
          s.disposables().destroy(call.disposable);
        }
      });
    }
    return s.blocking(() -> s.store().qube(target)).compose(found -> {
      QubeRow q = found.orElseThrow(() -> QairException.notFound("the target " + target + " does not exist"));
      if (q.state() == QubeState.RUNNING) {
        return reach(zone, m, d, call, q);
      }
      if (!d.autostart()) {
        throw QairException.conflict("the target " + target + " is not running and the policy says autostart=no");
      }
      return running(target, System.currentTimeMillis() + START_WAIT_MS).compose(v -> reach(zone, m, d, call, q));
    });
  }

  /**
   * The decision for a running target: in the caller's zone, its agent joins the ends. In another
   * zone: the call's data socket is opened on the caller's agent (which expects it from the moment
   * it asked), then the service is started in the target's zone and the two are relayed; the
   * decision goes out last, so a refusal (a zone that cannot be reached) has started nothing.
   */
  private Future<QrexecMessage> reach(String zone, QrexecMessage m, Decision d, Call call, QubeRow target) {
    if (target.zone().equals(zone)) {
      return Future.succeededFuture(QrexecMessage.allow(m.id(), target.name(), d.user()));
    }
    if (d.user() != null && !d.user().equals("user")) {
      return Future.failedFuture(QairException.conflict("user=" + d.user() + " is not supported: services run as 'user'"));
    }
    ExecRequest service = new ServiceCall(m.source(), m.target(), m.service(), m.argument()).exec();
    return s.runtime().callData(zone, m.id()).compose(data -> s.runtime().exec(target.zone(), target.name(), service)
        .recover(e -> {
          data.close();
          return Future.failedFuture(e instanceof QairException q ? q
              : QairException.unavailable("zone " + target.zone() + " could not start the service", e));
        })
        .map(ws -> {
          ExecRelay.relayCall(s.vertx(), data, ws, "the call to " + target.name() + " broke: zone " + target.zone()
              + " went away or closed the connection");
          return QrexecMessage.relayed(m.id(), target.name());
        }));
  }

  /** Starts {@code qube}, or waits while another call or the user starts it. */
  private Future<Void> running(String qube, long deadline) {
    return s.blocking(() -> s.store().qube(qube).map(QubeRow::state).orElse(QubeState.HALTED)).compose(state -> {
      if (state == QubeState.RUNNING) {
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() > deadline) {
        return Future.failedFuture(QairException.unavailable("the target " + qube + " did not start in time", null));
      }
      if (state == QubeState.HALTED || state == QubeState.CRASHED) {
        return s.lifecycle().start(qube).<Void>mapEmpty().recover(e -> later(qube, deadline));
      }
      return later(qube, deadline);
    });
  }

  private Future<Void> later(String qube, long deadline) {
    Promise<Void> p = Promise.promise();
    s.vertx().setTimer(100, t -> running(qube, deadline).onComplete(p));
    return p.future();
  }

  @Override
  public void ended(String zone, QrexecMessage m) {
    Call call = calls.remove(zone + "/" + m.id());
    if (call == null) {
      return;
    }
    call.ended = true;
    if (call.disposable != null) {
      s.disposables().destroy(call.disposable);
    }
  }

  @Override
  public void linkLost(String zone) {
    calls.forEach((key, call) -> {
      if (call.zone.equals(zone) && calls.remove(key, call)) {
        call.ended = true;
        if (call.disposable != null) {
          LOG.info("qrexec {}: link lost; destroying disposable {}", zone, call.disposable);
          s.disposables().destroy(call.disposable);
        }
      }
    });
  }
}
