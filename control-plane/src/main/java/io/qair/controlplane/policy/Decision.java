package io.qair.controlplane.policy;

import io.qair.protocol.QairException;
import java.util.List;
import java.util.Objects;

/**
 * The answer of the policy to one call.
 *
 * @param target for {@code ALLOW}: the qube to connect to ({@code dom0} for the master, {@code
 *     @dispvm:NAME} for a new disposable of NAME); null otherwise
 * @param user the user to run the service as, or null for the target's default
 * @param autostart whether the target may be started for the call
 * @param notifyUser whether the user should be notified of the decision
 * @param ask for {@code ASK}: what the user may choose from; null otherwise
 * @param rule the rule that decided, or null when no rule matched
 * @param reason for {@code DENY}: why, with the rule's {@code FILE:LINE}; null otherwise
 */
public record Decision(PolicyAction action, String target, String user, boolean autostart,
    boolean notifyUser, Ask ask, MatchedRule rule, String reason) {

  /** The targets an {@code ask} offers, sorted, and the one to suggest (or null). */
  public record Ask(List<String> targets, String defaultTarget) {
    public Ask {
      targets = List.copyOf(targets);
      if (defaultTarget != null && !targets.contains(defaultTarget)) {
        throw new IllegalArgumentException("default target not among the targets");
      }
    }
  }

  public Decision {
    Objects.requireNonNull(action, "action");
    if ((action == PolicyAction.ALLOW) != (target != null)
        || (action == PolicyAction.ASK) != (ask != null)
        || (action == PolicyAction.DENY) != (reason != null)) {
      throw new IllegalArgumentException("inconsistent decision");
    }
  }

  static Decision allow(String target, Rule.Action a, MatchedRule rule) {
    return new Decision(PolicyAction.ALLOW, target, a.user(), a.autostart(), a.notifyUser(), null,
        rule, null);
  }

  static Decision ask(Ask ask, Rule.Action a, MatchedRule rule) {
    return new Decision(PolicyAction.ASK, null, a.user(), a.autostart(), a.notifyUser(), ask,
        rule, null);
  }

  static Decision deny(String reason, boolean notifyUser, MatchedRule rule) {
    return new Decision(PolicyAction.DENY, null, null, false, notifyUser, null, rule, reason);
  }

  /**
   * The decision once the user allowed an {@code ask}: connect to {@code chosen}, which must be one
   * of the offered targets (null picks the default target, or the only one).
   */
  public Decision allowedAs(String chosen) {
    if (action != PolicyAction.ASK) {
      throw new IllegalStateException("not an ask decision");
    }
    String t = chosen;
    if (t == null) {
      t = ask.defaultTarget() != null ? ask.defaultTarget()
          : ask.targets().size() == 1 ? ask.targets().get(0) : null;
      if (t == null) {
        throw QairException.badRequest("choose a target: one of " + String.join(", ",
            ask.targets()));
      }
    }
    if (!ask.targets().contains(t)) {
      throw QairException.badRequest("'" + io.qair.protocol.Names.printable(t)
          + "' is not an allowed target; choose one of " + String.join(", ", ask.targets()));
    }
    return new Decision(PolicyAction.ALLOW, t, user, autostart, notifyUser, null, rule, null);
  }

  /** The decision once the user refused an {@code ask}, or it could not be asked or answered. */
  Decision deniedBecause(String why, boolean notify) {
    return new Decision(PolicyAction.DENY, null, null, false, notify, null, rule, why);
  }

  /** One line for people: the action, its details and where it comes from. */
  public String describe() {
    StringBuilder sb = new StringBuilder(action.keyword());
    switch (action) {
      case ALLOW -> sb.append(" target=").append(target);
      case ASK -> {
        sb.append(" targets=").append(String.join(",", ask.targets()));
        if (ask.defaultTarget() != null) {
          sb.append(" default_target=").append(ask.defaultTarget());
        }
      }
      case DENY -> sb.append(": ").append(reason);
    }
    if (action != PolicyAction.DENY) {
      if (user != null) {
        sb.append(" user=").append(user);
      }
      if (!autostart) {
        sb.append(" autostart=no");
      }
      if (notifyUser) {
        sb.append(" notify=yes");
      }
      sb.append(" (").append(rule.location()).append(')');
    } else if (!notifyUser) {
      sb.append(" (notify=no)");
    }
    return sb.toString();
  }
}
