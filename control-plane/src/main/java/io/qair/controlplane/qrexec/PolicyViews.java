package io.qair.controlplane.qrexec;

import io.qair.controlplane.policy.Decision;
import io.qair.controlplane.policy.PendingAsk;
import io.qair.protocol.api.AskView;
import io.qair.protocol.api.DecisionView;

/** Policy values as the Admin API shows them. */
public final class PolicyViews {
  private PolicyViews() {}

  public static DecisionView decision(Decision d) {
    return new DecisionView(d.action().keyword(), d.target(),
        d.ask() == null ? null : d.ask().targets(), d.ask() == null ? null : d.ask().defaultTarget(),
        d.user(), d.action() == io.qair.controlplane.policy.PolicyAction.DENY ? null : d.autostart(),
        d.notifyUser(), d.rule() == null ? null : d.rule().location(), d.reason(), d.describe());
  }

  public static AskView ask(PendingAsk a) {
    Decision d = a.decision();
    return new AskView(a.id(), a.request().service(), a.request().argument(), a.request().source(),
        a.request().target(), d.ask().targets(), d.ask().defaultTarget(), d.rule().location(),
        a.createdAt().toEpochMilli(), a.expiresAt().toEpochMilli());
  }
}
