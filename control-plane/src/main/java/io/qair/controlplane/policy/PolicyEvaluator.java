package io.qair.controlplane.policy;

import io.qair.protocol.Names;
import io.qair.protocol.QubeClass;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Evaluates one request against the rules of a policy. */
final class PolicyEvaluator {
  private final List<Rule> rules;
  private final PolicyRequest request;
  private final SystemInfo system;
  /** The caller, or null when it is the master ({@code @adminvm}). */
  private QubeInfo caller;

  PolicyEvaluator(List<Rule> rules, PolicyRequest request, SystemInfo system) {
    this.rules = rules;
    this.request = request;
    this.system = system;
  }

  Decision evaluate() {
    String src = request.source();
    if (!isAdmin(src)) {
      caller = system.qube(src).orElse(null);
      if (caller == null || src.equals(Token.ADMIN_NAME)) {
        return Decision.deny("unknown source qube '" + Names.printable(src) + "'", true, null);
      }
    }
    Token target;
    try {
      target = intendedTarget(request.target());
    } catch (IllegalArgumentException e) {
      return Decision.deny(e.getMessage(), true, null);
    }
    for (Rule r : rules) {
      if (matches(r, target)) {
        return apply(r, target);
      }
    }
    return Decision.deny("no rule matched; denied by default", true, null);
  }

  private static boolean isAdmin(String name) {
    return name.equals(Token.ADMIN_NAME) || name.equals(Token.Kind.ADMINVM.keyword);
  }

  private String callerName() {
    return caller == null ? Token.ADMIN_NAME : caller.name();
  }

  /** The target as the caller wrote it, checked to exist. */
  private Token intendedTarget(String t) {
    if (t.isEmpty() || t.equals("@default")) {
      return Token.DEFAULT;
    }
    if (isAdmin(t)) {
      return Token.ADMINVM;
    }
    if (t.equals("@dispvm")) {
      return Token.DISPVM;
    }
    String shown = Names.printable(t);
    if (t.startsWith("@dispvm:")) {
      String base = t.substring("@dispvm:".length());
      if (!system.qube(base).map(QubeInfo::templateForDispvms).orElse(false)) {
        throw new IllegalArgumentException(
            "invalid target '" + shown + "': not a template for disposables");
      }
      return new Token(Token.Kind.DISPVM_TEMPLATE, base);
    }
    if (t.startsWith("@") || system.qube(t).isEmpty()) {
      throw new IllegalArgumentException("invalid target '" + shown + "': no such qube");
    }
    return new Token(Token.Kind.NAME, t);
  }

  private boolean matches(Rule r, Token target) {
    return r.matchesCall(request.service(), request.argument()) && matchesSource(r.source())
        && matchesTarget(r.target(), target);
  }

  private boolean matchesSource(Token t) {
    if (t.kind() == Token.Kind.ADMINVM) {
      return caller == null;
    }
    if (caller == null) {
      return false; // the master is matched only explicitly
    }
    return switch (t.kind()) {
      case ANYVM -> true;
      case NAME -> caller.name().equals(t.value());
      case TAG -> caller.tags().contains(t.value());
      case TYPE -> caller.qubeClass().name().equals(t.value());
      case ZONE -> caller.zone().equals(t.value());
      case DISPVM_TEMPLATE -> caller.qubeClass() == QubeClass.DispVM
          && t.value().equals(caller.template());
      case DISPVM_TAG -> caller.qubeClass() == QubeClass.DispVM && caller.template() != null
          && isDispvmTemplateTagged(caller.template(), t.value());
      default -> false;
    };
  }

  /** Whether rule token {@code t} (target column) matches the intended target {@code want}. */
  private boolean matchesTarget(Token t, Token want) {
    return switch (t.kind()) {
      case ANYVM -> want.kind() != Token.Kind.ADMINVM;
      case ADMINVM, DEFAULT, DISPVM -> want.kind() == t.kind();
      case NAME -> want.kind() == Token.Kind.NAME && want.value().equals(t.value());
      case TAG -> want.kind() == Token.Kind.NAME
          && system.qube(want.value()).map(q -> q.tags().contains(t.value())).orElse(false);
      case TYPE -> want.kind() == Token.Kind.NAME && system.qube(want.value())
          .map(q -> q.qubeClass().name().equals(t.value())).orElse(false);
      case ZONE -> {
        String q = want.kind() == Token.Kind.NAME ? want.value() : dispvmBase(want);
        yield q != null && system.qube(q).map(i -> i.zone().equals(t.value())).orElse(false);
      }
      case DISPVM_TEMPLATE -> t.value().equals(dispvmBase(want));
      case DISPVM_TAG -> {
        String base = dispvmBase(want);
        yield base != null && isDispvmTemplateTagged(base, t.value());
      }
    };
  }

  /** The qube a disposable target would be made from, or null when it is not a disposable. */
  private String dispvmBase(Token want) {
    return switch (want.kind()) {
      case DISPVM_TEMPLATE -> want.value();
      case DISPVM -> caller == null ? null : caller.defaultDispvm();
      default -> null;
    };
  }

  private boolean isDispvmTemplateTagged(String name, String tag) {
    return system.qube(name).map(q -> q.templateForDispvms() && q.tags().contains(tag))
        .orElse(false);
  }

  private Decision apply(Rule r, Token want) {
    Rule.Action a = r.action();
    MatchedRule at = r.origin();
    return switch (a.type()) {
      case DENY -> Decision.deny("denied by policy " + at.location(), a.notifyUser(), at);
      case ALLOW -> allow(r, want);
      case ASK -> ask(r);
    };
  }

  private Decision allow(Rule r, Token want) {
    Rule.Action a = r.action();
    MatchedRule at = r.origin();
    Token t = a.redirect() != null ? a.redirect() : want;
    if (t.kind() == Token.Kind.DEFAULT) {
      return Decision.deny("allowed by " + at.location()
          + ", but the call names no target and the rule has no target=", true, at);
    }
    String resolved;
    try {
      resolved = resolve(t);
    } catch (IllegalArgumentException e) {
      return Decision.deny("allowed by " + at.location() + ", but " + e.getMessage(), true,
          at);
    }
    if (resolved.equals(callerName())) {
      return Decision.deny("allowed by " + at.location() + ", but a qube cannot call itself",
          true, at);
    }
    if (!a.autostart() && !isRunning(resolved)) {
      return Decision.deny(at.location() + " says autostart=no and " + resolved
          + " is not running", true, at);
    }
    return Decision.allow(resolved, a, at);
  }

  /**
   * What a target= value (or an intended target) names: {@code dom0}, a qube name or
   * {@code @dispvm:NAME}.
   */
  private String resolve(Token t) {
    switch (t.kind()) {
      case ADMINVM:
        return Token.ADMIN_NAME;
      case DISPVM: {
        String base = dispvmBase(t);
        if (base == null) {
          throw new IllegalArgumentException(callerName() + " has no default_dispvm for @dispvm");
        }
        return resolve(new Token(Token.Kind.DISPVM_TEMPLATE, base));
      }
      case DISPVM_TEMPLATE:
        if (!system.qube(t.value()).map(QubeInfo::templateForDispvms).orElse(false)) {
          throw new IllegalArgumentException(t.value() + " is not a template for disposables");
        }
        return t.toString();
      case NAME:
        if (system.qube(t.value()).isEmpty()) {
          throw new IllegalArgumentException("there is no qube " + t.value());
        }
        return t.value();
      default:
        throw new IllegalArgumentException(t + " is not a target");
    }
  }

  private boolean isRunning(String target) {
    if (target.equals(Token.ADMIN_NAME)) {
      return true;
    }
    if (target.startsWith("@dispvm:")) {
      return false; // a new disposable always needs starting
    }
    return system.qube(target).map(QubeInfo::running).orElse(false);
  }

  private Decision ask(Rule r) {
    Rule.Action a = r.action();
    MatchedRule at = r.origin();
    List<String> targets = new ArrayList<>();
    if (a.redirect() != null) {
      try {
        targets.add(resolve(a.redirect()));
      } catch (IllegalArgumentException e) {
        // no target left: denied below
      }
    } else {
      targets.addAll(targetsForAsk());
    }
    targets.removeIf(t -> t.equals(callerName()) || (!a.autostart() && !isRunning(t)));
    if (targets.isEmpty()) {
      return Decision.deny("ask at " + at.location() + ", but no target to choose from",
          true, at);
    }
    String suggested = null;
    if (a.defaultTarget() != null) {
      try {
        suggested = resolve(a.defaultTarget());
      } catch (IllegalArgumentException e) {
        suggested = null;
      }
      if (!targets.contains(suggested)) {
        suggested = null;
      }
    }
    return Decision.ask(new Decision.Ask(targets, suggested), a, at);
  }

  /**
   * Every target the user could choose for this call: each qube, the master and each {@code
   * @dispvm:NAME}, tried as the intended target; kept when its first matching rule allows or asks
   * (its {@code target=} replacing it), unless an earlier rule denies the redirected target.
   */
  private TreeSet<String> targetsForAsk() {
    List<Rule> relevant = new ArrayList<>();
    for (Rule r : rules) {
      if (r.matchesCall(request.service(), request.argument()) && matchesSource(r.source())) {
        relevant.add(r);
      }
    }
    List<Token> candidates = new ArrayList<>();
    candidates.add(Token.ADMINVM);
    for (QubeInfo q : system.qubes()) {
      if (!q.name().equals(Token.ADMIN_NAME)) {
        candidates.add(new Token(Token.Kind.NAME, q.name()));
        if (q.templateForDispvms()) {
          candidates.add(new Token(Token.Kind.DISPVM_TEMPLATE, q.name()));
        }
      }
    }
    TreeSet<String> out = new TreeSet<>();
    for (Token c : candidates) {
      int i = firstMatch(relevant, c);
      if (i < 0 || relevant.get(i).action().type() == PolicyAction.DENY) {
        continue;
      }
      Token redirect = relevant.get(i).action().redirect();
      if (redirect != null) {
        int j = firstMatch(relevant, redirect);
        if (j >= 0 && j < i && relevant.get(j).action().type() == PolicyAction.DENY) {
          continue;
        }
      }
      try {
        out.add(resolve(redirect != null ? redirect : c));
      } catch (IllegalArgumentException e) {
        // redirect to something that does not exist: not a choice
      }
    }
    return out;
  }

  private int firstMatch(List<Rule> relevant, Token target) {
    for (int i = 0; i < relevant.size(); i++) {
      if (matchesTarget(relevant.get(i).target(), target)) {
        return i;
      }
    }
    return -1;
  }
}
