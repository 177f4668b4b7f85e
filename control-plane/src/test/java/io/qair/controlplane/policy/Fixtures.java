package io.qair.controlplane.policy;

import io.qair.protocol.QubeClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The qubes every policy test runs against, and a compact way to write policy trees. */
final class Fixtures {
  private Fixtures() {}

  /**
   * work, personal, vault, cloudy (zone aws), dvm and dvm-aws (templates for disposables), fedora
   * (template), disp123 (a disposable of dvm), standalone1 (zone gcp).
   */
  static final SystemInfo SYSTEM = SystemInfo.of(List.of(
      qube("work", QubeClass.AppVM, Set.of("work"), "local", "dvm", false, "fedora", true),
      qube("personal", QubeClass.AppVM, Set.of(), "local", "dvm", false, "fedora", false),
      qube("vault", QubeClass.AppVM, Set.of("secret"), "local", null, false, "fedora", true),
      qube("cloudy", QubeClass.AppVM, Set.of("work"), "aws", "dvm-aws", false, "fedora", true),
      qube("dvm", QubeClass.AppVM, Set.of("dvmtag"), "local", null, true, "fedora", false),
      qube("dvm-aws", QubeClass.AppVM, Set.of(), "aws", null, true, "fedora", false),
      qube("fedora", QubeClass.TemplateVM, Set.of(), "local", null, false, null, false),
      qube("disp123", QubeClass.DispVM, Set.of(), "local", "dvm", false, "dvm", true),
      qube("standalone1", QubeClass.StandaloneVM, Set.of(), "gcp", null, false, null, false)));

  static QubeInfo qube(String name, QubeClass c, Set<String> tags, String zone, String dispvm,
      boolean templateForDispvms, String template, boolean running) {
    return new QubeInfo(name, c, tags, zone, dispvm, templateForDispvms, template, running);
  }

  /**
   * A policy tree from text: lines {@code === PATH} start a new file; lines before the first such
   * line go to {@code t.policy}.
   */
  static Map<String, String> tree(String compact) {
    Map<String, String> files = new LinkedHashMap<>();
    String name = "t.policy";
    StringBuilder sb = new StringBuilder();
    for (String line : compact.split("\n", -1)) {
      if (line.startsWith("=== ")) {
        if (sb.length() > 0 || !name.equals("t.policy")) {
          files.put(name, sb.toString());
        }
        name = line.substring(4);
        sb.setLength(0);
      } else {
        sb.append(line).append('\n');
      }
    }
    files.put(name, sb.toString());
    return files;
  }

  static Policy parse(String compact) {
    return PolicyParser.parse(PolicySource.of(tree(compact)));
  }

  /** "SERVICE[+ARG] SOURCE [TARGET]" as a request. */
  static PolicyRequest request(String call) {
    String[] p = call.split(" ");
    return PolicyRequest.ofCall(p[0], p[1], p.length > 2 ? p[2] : "");
  }
}
