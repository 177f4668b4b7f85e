package io.qair.controlplane.policy;

import io.qair.protocol.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a policy directory: every top-level {@code *.policy} file in file-name order (byte order),
 * with the files they include. Collects every error instead of stopping at the first.
 */
public final class PolicyParser {
  /** Top-level and {@code !include-dir} file names. */
  static final Pattern FILE_NAME = Pattern.compile("[0-9A-Za-z_.-]+");
  private static final Pattern PATH_SEGMENT = Pattern.compile("[0-9A-Za-z_.+-]+");
  static final String SUFFIX = ".policy";

  private final PolicySource source;
  private final List<PolicyError> errors = new ArrayList<>();
  private final List<Rule> rules = new ArrayList<>();
  private final List<String> files = new ArrayList<>();
  private final Deque<String> stack = new ArrayDeque<>();
  private long bytes;
  private boolean stopped;

  private PolicyParser(PolicySource source) {
    this.source = source;
  }

  /** Parses a policy tree, or throws listing every error. */
  public static Policy parse(PolicySource source) {
    PolicyParser p = new PolicyParser(source);
    p.loadRoot();
    if (!p.errors.isEmpty()) {
      throw new PolicyException(p.errors);
    }
    return new Policy(p.rules, p.files);
  }

  /** Parses the directory {@code dir}. */
  public static Policy parseDirectory(Path dir) {
    return parse(PolicySource.directory(dir));
  }

  /** Parses a single file's text, as if it were alone in a policy directory under {@code name}. */
  public static Policy parseText(String name, String text) {
    return parse(PolicySource.of(Map.of(name, text)));
  }

  /** Every error of a policy tree; empty when it is valid. */
  public static List<PolicyError> check(PolicySource source) {
    try {
      parse(source);
      return List.of();
    } catch (PolicyException e) {
      return e.errors();
    }
  }

  private void loadRoot() {
    for (String name : policyFiles("")) {
      if (stopped) {
        return;
      }
      loadFile(name, null, name, 0);
    }
  }

  /** The {@code *.policy} files of a directory, sorted; bad names are errors. */
  private List<String> policyFiles(String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    List<String> out = new ArrayList<>();
    List<String> names;
    try {
      names = new ArrayList<>(source.list(dir));
    } catch (IOException | RuntimeException e) {
      error(dir.isEmpty() ? "." : dir, 0,
          "cannot list the directory: " + e.getClass().getSimpleName());
      return out;
    }
    names.sort(null);
    for (String name : names) {
      if (name.startsWith(".") || !name.endsWith(SUFFIX)) {
        continue;
      }
      String path = prefix + name;
      if (!FILE_NAME.matcher(name).matches()) {
        error(Names.printable(path), 0,
            "invalid file name: use only letters, digits, '_', '.' and '-'");
        continue;
      }
      PolicySource.Kind kind = kindOf(path);
      if (kind == PolicySource.Kind.FILE) {
        out.add(path);
      } else if (kind == PolicySource.Kind.OUTSIDE) {
        error(path, 0, "the file is a link out of the policy directory");
      }
    }
    return out;
  }

  /**
   * Loads one file. {@code scope} is null for full rules, else the service and argument of an
   * {@code !include-service}: its lines are {@code SOURCE TARGET ACTION [PARAM=VALUE...]}.
   */
  private void loadFile(String path, RuleParser.Scope scope, String errorFile, int errorLine) {
    if (files.size() >= PolicyLimits.MAX_FILES) {
      stop(errorFile, errorLine, "more than " + PolicyLimits.MAX_FILES + " policy files");
      return;
    }
    byte[] content;
    try {
      content = source.read(path, PolicyLimits.MAX_FILE_BYTES);
    } catch (IOException | RuntimeException e) {
      error(path, 0, "cannot read the file: " + e.getClass().getSimpleName());
      return;
    }
    files.add(path);
    if (content.length > PolicyLimits.MAX_FILE_BYTES) {
      error(path, 0, "the file is larger than " + PolicyLimits.MAX_FILE_BYTES + " bytes");
      return;
    }
    bytes += content.length;
    if (bytes > PolicyLimits.MAX_TOTAL_BYTES) {
      stop(path, 0, "the policy is larger than " + PolicyLimits.MAX_TOTAL_BYTES + " bytes");
      return;
    }
    String text = new String(content, StandardCharsets.UTF_8); // malformed bytes become U+FFFD
    stack.push(path);
    try {
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length && !stopped; i++) {
        line(path, i + 1, lines[i], scope);
      }
    } finally {
      stack.pop();
    }
  }

  private void line(String path, int lineNo, String raw, RuleParser.Scope scope) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (line.length() > PolicyLimits.MAX_LINE_LENGTH) {
      error(path, lineNo,
          "the line is longer than " + PolicyLimits.MAX_LINE_LENGTH + " characters");
      return;
    }
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return;
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 || c > 0x7e) && c != '\t') {
        error(path, lineNo, "invalid character at column " + (i + 1)
            + ": rules and directives use printable ASCII only");
        return;
      }
    }
    List<String> fields = RuleParser.fields(trimmed);
    List<String> problems = new ArrayList<>();
    if (fields.get(0).startsWith("!")) {
      directive(path, lineNo, fields, scope, problems);
    } else {
      rule(path, lineNo, trimmed, fields, scope, problems);
    }
    for (String p : problems) {
      error(path, lineNo, p);
    }
  }

  private void rule(String path, int lineNo, String text, List<String> fields,
      RuleParser.Scope scope, List<String> problems) {
    int columns = scope == null ? 5 : 3;
    if (fields.size() < columns) {
      problems.add("expected " + (scope == null ? "SERVICE ARGUMENT " : "")
          + "SOURCE TARGET ACTION [PARAM=VALUE...], got " + fields.size() + " field"
          + (fields.size() == 1 ? "" : "s"));
      return;
    }
    RuleParser.Scope s = scope;
    List<String> rest = fields;
    if (scope == null) {
      s = RuleParser.scope(fields.get(0), fields.get(1), problems);
      rest = fields.subList(2, fields.size());
    }
    Rule r = RuleParser.rule(s, rest, new MatchedRule(path, lineNo, text), problems);
    if (r == null) {
      return;
    }
    if (rules.size() >= PolicyLimits.MAX_RULES) {
      stop(path, lineNo, "more than " + PolicyLimits.MAX_RULES + " rules");
      return;
    }
    rules.add(r);
  }

  private void directive(String path, int lineNo, List<String> fields, RuleParser.Scope scope,
      List<String> problems) {
    String name = fields.get(0);
    List<String> params = fields.subList(1, fields.size());
    switch (name) {
      case "!include" -> {
        if (count(name, params, 1, "a file", problems)) {
          String target = includePath(params.get(0), path, problems);
          if (target != null) {
            include(target, scope, path, lineNo, problems);
          }
        }
      }
      case "!include-dir" -> {
        if (scope != null) {
          problems.add("!include-dir is not allowed in a file included by !include-service");
        } else if (count(name, params, 1, "a directory", problems)) {
          String dir = includePath(params.get(0), path, problems);
          if (dir != null) {
            includeDir(dir, path, lineNo, problems);
          }
        }
      }
      case "!include-service" -> {
        if (scope != null) {
          problems.add("!include-service is not allowed in a file included by !include-service");
        } else if (count(name, params, 3, "SERVICE ARGUMENT FILE", problems)) {
          int before = problems.size();
          RuleParser.Scope s = RuleParser.scope(params.get(0), params.get(1), problems);
          String target = includePath(params.get(2), path, problems);
          if (problems.size() == before) {
            include(target, s, path, lineNo, problems);
          }
        }
      }
      default -> problems.add("unknown directive '" + Names.printable(name)
          + "': use !include, !include-dir or !include-service");
    }
  }

  private static boolean count(String name, List<String> params, int n, String what,
      List<String> problems) {
    if (params.size() == n) {
      return true;
    }
    problems.add(name + " takes " + (n == 1 ? "1 parameter" : n + " parameters") + " (" + what
        + "), got " + params.size());
    return false;
  }

  /** Normalises an include path (relative to the policy directory) or reports why it is invalid. */
  private static String includePath(String untrusted, String from, List<String> problems) {
    String shown = Names.printable(untrusted);
    if (untrusted.startsWith("/")) {
      problems.add("invalid path '" + shown
          + "': use a path relative to the policy directory");
      return null;
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String seg : untrusted.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (segments.isEmpty()) {
          problems.add("path '" + shown + "' escapes the policy directory");
          return null;
        }
        segments.removeLast();
        continue;
      }
      if (!PATH_SEGMENT.matcher(seg).matches()) {
        problems.add("invalid path '" + shown
            + "': use letters, digits, '_', '.', '+', '-' and '/'");
        return null;
      }
      segments.addLast(seg);
    }
    if (segments.isEmpty()) {
      problems.add("invalid path '" + shown + "': it names the policy directory itself");
      return null;
    }
    return String.join("/", segments);
  }

  private void include(String target, RuleParser.Scope scope, String path, int lineNo,
      List<String> problems) {
    PolicySource.Kind kind = kindOf(target);
    switch (kind) {
      case FILE -> {
        if (stack.contains(target)) {
          List<String> cycle = new ArrayList<>(stack);
          Collections.reverse(cycle);
          cycle.add(target);
          problems.add("include cycle: " + String.join(" -> ", cycle));
        } else if (stack.size() >= PolicyLimits.MAX_INCLUDE_DEPTH) {
          problems.add("includes nested deeper than " + PolicyLimits.MAX_INCLUDE_DEPTH + " levels");
        } else {
          loadFile(target, scope, path, lineNo);
        }
      }
      case DIRECTORY -> problems.add("cannot include '" + target
          + "': it is a directory (use !include-dir)");
      case OUTSIDE -> problems.add("path '" + target + "' escapes the policy directory");
      default -> problems.add("cannot include '" + target + "': no such file");
    }
  }

  private void includeDir(String dir, String path, int lineNo, List<String> problems) {
    PolicySource.Kind kind = kindOf(dir);
    if (kind == PolicySource.Kind.OUTSIDE) {
      problems.add("path '" + dir + "' escapes the policy directory");
      return;
    }
    if (kind != PolicySource.Kind.DIRECTORY) {
      problems.add("cannot include directory '" + dir + "': no such directory");
      return;
    }
    if (stack.contains(dir + "/")) {
      List<String> cycle = new ArrayList<>(stack);
      Collections.reverse(cycle);
      cycle.add(dir + "/");
      problems.add("include cycle: " + String.join(" -> ", cycle));
      return;
    }
    stack.push(dir + "/");
    try {
      for (String file : policyFiles(dir)) {
        if (stopped) {
          return;
        }
        include(file, null, path, lineNo, problems);
      }
    } finally {
      stack.pop();
    }
  }

  private PolicySource.Kind kindOf(String path) {
    try {
      return source.kind(path);
    } catch (IOException | RuntimeException e) {
      return PolicySource.Kind.OTHER;
    }
  }

  private void error(String file, int line, String message) {
    if (stopped) {
      return;
    }
    if (errors.size() == PolicyLimits.MAX_ERRORS - 1) {
      stop(file, line, "too many errors; stopped after " + (PolicyLimits.MAX_ERRORS - 1));
      return;
    }
    errors.add(new PolicyError(file, line, message));
  }

  private void stop(String file, int line, String message) {
    if (!stopped) {
      errors.add(new PolicyError(file, line, message));
      stopped = true;
    }
  }
}
