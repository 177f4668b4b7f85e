package io.qair.controlplane.policy;

import io.qair.protocol.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses the columns of one rule line; every problem found on the line is reported. */
final class RuleParser {
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern ARGUMENT = Pattern.compile("\\+[A-Za-z0-9._+-]{0,64}");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
  private static final Set<String> PARAMS =
      Set.of("target", "default_target", "user", "notify", "autostart");

  private RuleParser() {}

  /** The service and argument of a rule or {@code !include-service}; null for {@code *}. */
  record Scope(String service, String argument) {}

  /**
   * Parses {@code SERVICE ARGUMENT} columns.
   *
   * @param errors where problems are added
   */
  static Scope scope(String service, String argument, List<String> errors) {
    String s = null;
    String a = null;
    if (!service.equals("*")) {
      if (SERVICE.matcher(service).matches()) {
        s = service;
      } else {
        errors.add("invalid service '" + Names.printable(service)
            + "': use '*' or 1-64 letters, digits, '.', '_' or '-'");
      }
    }
    if (!argument.equals("*")) {
      if (ARGUMENT.matcher(argument).matches()) {
        a = argument.substring(1);
        if (service.equals("*")) {
          errors.add("argument must be '*' when service is '*'");
        }
      } else {
        errors.add("invalid argument '" + Names.printable(argument)
            + "': use '*', '+' for no argument, or '+' followed by up to 64 letters, digits,"
            + " '.', '_', '-' or '+'");
      }
    }
    return new Scope(s, a);
  }

  /**
   * Parses {@code SOURCE TARGET ACTION [PARAM=VALUE...]}: {@code fields} starts at the source
   * column.
   *
   * @return the rule, or {@code null} when {@code errors} got at least one problem
   */
  static Rule rule(Scope scope, List<String> fields, MatchedRule origin, List<String> errors) {
    int before = errors.size();
    Token source = token(fields.get(0), Token.Context.SOURCE, errors);
    Token target = token(fields.get(1), Token.Context.TARGET, errors);
    Rule.Action action = action(fields.get(2), fields.subList(3, fields.size()), errors);
    if (action != null && target != null && target.kind() == Token.Kind.DEFAULT
        && action.type() == PolicyAction.ALLOW && action.redirect() == null) {
      errors.add("allow for target @default needs a target= parameter");
    }
    if (errors.size() > before) {
      return null;
    }
    return new Rule(scope.service(), scope.argument(), source, target, action, origin);
  }

  private static Token token(String text, Token.Context context, List<String> errors) {
    try {
      return Token.parse(text, context);
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
      return null;
    }
  }

  private static Rule.Action action(String keyword, List<String> params, List<String> errors) {
    PolicyAction type = switch (keyword) {
      case "allow" -> PolicyAction.ALLOW;
      case "deny" -> PolicyAction.DENY;
      case "ask" -> PolicyAction.ASK;
      default -> null;
    };
    if (type == null) {
      errors.add("invalid action '" + Names.printable(keyword) + "': use allow, deny or ask");
    }
    int before = errors.size();
    Token redirect = null;
    Token defaultTarget = null;
    String user = null;
    boolean notify = type == PolicyAction.DENY;
    boolean autostart = true;
    Set<String> seen = new HashSet<>();
    for (String param : params) {
      int eq = param.indexOf('=');
      if (eq <= 0) {
        errors.add("invalid parameter '" + Names.printable(param) + "': use NAME=VALUE");
        continue;
      }
      String name = param.substring(0, eq);
      String value = param.substring(eq + 1);
      if (!PARAMS.contains(name)) {
        errors.add("unknown parameter '" + Names.printable(name)
            + "': use target=, default_target=, user=, notify= or autostart=");
        continue;
      }
      if (!seen.add(name)) {
        errors.add("parameter '" + name + "' given twice");
        continue;
      }
      if (type != null && !allowedWith(name, type)) {
        errors.add("'" + name + "=' is not allowed with " + type.keyword()
            + (name.equals("default_target") ? "; it goes only with ask" : ""));
        continue;
      }
      switch (name) {
        case "target" -> redirect = token(value, Token.Context.REDIRECT, errors);
        case "default_target" -> defaultTarget = token(value, Token.Context.DEFAULT_TARGET, errors);
        case "user" -> {
          if (USER.matcher(value).matches()) {
            user = value;
          } else {
            errors.add("invalid user= value '" + Names.printable(value)
                + "': a user name is 1-32 letters, digits, '_', '.' or '-', not starting with"
                + " '.' or '-'");
          }
        }
        default -> {
          if (value.equals("yes") || value.equals("no")) {
            if (name.equals("notify")) {
              notify = value.equals("yes");
            } else {
              autostart = value.equals("yes");
            }
          } else {
            errors.add("invalid " + name + "= value '" + Names.printable(value)
                + "': use yes or no");
          }
        }
      }
    }
    if (type == null || errors.size() > before) {
      return null;
    }
    return new Rule.Action(type, redirect, defaultTarget, user, notify, autostart);
  }

  private static boolean allowedWith(String param, PolicyAction type) {
    return switch (type) {
      case DENY -> param.equals("notify");
      case ALLOW -> !param.equals("default_target");
      case ASK -> true;
    };
  }

  /** Splits a trimmed line on spaces and tabs. */
  static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && isBlank(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isBlank(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(line.substring(start, i));
      }
    }
    return out;
  }

  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
