package io.qair.agent.sandbox;

import io.qair.agent.template.TemplateStore;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeClass;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which root filesystem a qube gets, by class; a StandaloneVM's is copied on first start. */
final class QubeRoots {
  private final SandboxLayout layout;
  private final TemplateStore templates;
  private final QubeUids uids;

  QubeRoots(SandboxLayout layout, TemplateStore templates, QubeUids uids) {
    this.layout = layout;
    this.templates = templates;
    this.uids = uids;
  }

  Path rootFor(String name, QubeClass klass, String template) {
    return switch (klass) {
      case TemplateVM -> templates.root(name);
      case AppVM, DispVM -> templates.root(requireTemplate(name, template));
      case StandaloneVM -> {
        Path own = layout.standaloneRoot(name);
        if (!Files.isDirectory(own, LinkOption.NOFOLLOW_LINKS)) {
          String from = requireTemplate(name, template);
          Volumes.agentDirectory(layout.qubeDir(name), "rwx------");
          int fromUid = templateUserUid(from);
          Volumes.copyRoot(templates.root(from), own, fromUid, uids.uidFor(layout.qubeDir(name)));
        }
        yield own;
      }
    };
  }

  /**
   * The host uid of the template's user (uid 1000 in its TemplateVM): in the template's uid range
   * once its TemplateVM ran, a qube uid for TemplateVMs of earlier versions, -1 if it never ran.
   */
  private int templateUserUid(String template) {
    Path templateDir = templates.root(template).getParent();
    if (Files.exists(templateDir.resolve(QubeUids.RANGE_FILE))) {
      return uids.rangeFor(templateDir) + SandboxIsolationBackend.QUBE_USER;
    }
    return Files.exists(layout.qubeDir(template).resolve("uid")) ? uids.uidFor(layout.qubeDir(template)) : -1;
  }

  private static String requireTemplate(String name, String template) {
    if (template == null || template.isEmpty()) {
      throw QairException.badRequest("qube " + name + " needs a template");
    }
    return template;
  }


  /** Directories of a read-only root that get a throw-away tmpfs, when the template has them. */
  static List<String> throwAwayDirs(Path root) {
    List<String> dirs = new ArrayList<>();
    for (String d : List.of("/var/tmp", "/var/log", "/var/cache", "/var/lib/qair")) {
      if (Files.isDirectory(root.resolve(d.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
        dirs.add(d);
      }
    }
    return dirs;
  }
}
