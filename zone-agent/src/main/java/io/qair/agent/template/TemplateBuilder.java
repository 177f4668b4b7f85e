package io.qair.agent.template;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a Debian template with debootstrap into {@code templatesDir/NAME/root}, then records its
 * manifest and digest.
 *
 * <p>debootstrap runs (as root, because it must chown, mknod and chroot) inside a bubblewrap
 * sandbox with private PID, IPC, UTS and cgroup namespaces, the host root read-only and only the
 * target directory writable; the network stays, because it downloads packages. It builds into
 * {@code NAME/root.building} and replaces {@code NAME/root} only when it succeeded.
 *
 * <p>Command line: {@code TemplateBuilder [--if-missing] TEMPLATES_DIR [NAME [SUITE [MIRROR [PKG,PKG...]]]]};
 * with {@code --if-missing} an installed template (root and digest present) is kept as it is.
 */
public final class TemplateBuilder {
  public static final String DEFAULT_NAME = "debian-12";
  public static final String DEFAULT_SUITE = "bookworm";
  public static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
  public static final List<String> DEFAULT_PACKAGES = List.of(
      "tigervnc-standalone-server", "xfonts-base", "xterm", "x11-utils", "procps");

  private final Path templatesDir;

  private TemplateBuilder(Path templatesDir) {
    this.templatesDir = templatesDir;
  }

  public static TemplateBuilder create(Path templatesDir) {
    return new TemplateBuilder(templatesDir);
  }

  /** debootstrap minbase of {@code suite} with {@code packages}; returns the template's digest. */
  public String build(String name, String suite, String mirror, List<String> packages) {
    List<String> cmd = new ArrayList<>(List.of("debootstrap", "--variant=minbase"));
    if (!packages.isEmpty()) {
      cmd.add("--include=" + String.join(",", packages));
    }
    cmd.addAll(List.of(suite, "{target}", mirror));
    return build(name, cmd);
  }

  /** Runs {@code bootstrap} ({@code {target}} replaced by the build directory) in the sandbox. */
  String build(String name, List<String> bootstrap) {
    Names.requireQubeName(name);
    Path dir = templatesDir.resolve(name);
    Path building = dir.resolve("root.building");
    try {
      Files.createDirectories(dir);
      deleteTree(building);
      Files.createDirectory(building);
      Process p = new ProcessBuilder(command(building, bootstrap)).inheritIO().start();
      int code = p.waitFor();
      if (code != 0) {
        throw QairException.unavailable("building template " + name + " failed (exit " + code
            + "); the partial root is in " + building, null);
      }
      Path root = dir.resolve("root");
      Path old = dir.resolve("root.old");
      deleteTree(old);
      if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(root, old);
      }
      Files.move(building, root);
      deleteTree(old);
      return TemplateManifest.write(dir);
    } catch (IOException e) {
      throw QairException.unavailable("cannot build template " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QairException.unavailable("interrupted while building template " + name, e);
    }
  }

  /** The bwrap command around {@code bootstrap}: host read-only, {@code target} writable. */
  static List<String> command(Path target, List<String> bootstrap) {
    String t = target.toAbsolutePath().toString();
    List<String> cmd = new ArrayList<>(List.of("bwrap",
        "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup",
        "--die-with-parent", "--hostname", "qair-template-build",
        "--ro-bind", "/", "/",
        "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
        // a dev-bind: debootstrap creates device nodes in the target, which a plain bind forbids (nodev)
        "--dev-bind", t, t,
        "--cap-add", "ALL",
        "--setenv", "PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "--"));
    for (String a : bootstrap) {
      cmd.add(a.replace("{target}", t));
    }
    return cmd;
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      Process rm = new ProcessBuilder("rm", "-rf", "--one-file-system", "--", p.toString()).inheritIO().start();
      try {
        if (rm.waitFor() != 0) {
          throw new IOException("cannot remove " + p);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** True when {@code name} is installed: its root and the digest written after a build. */
  public boolean isInstalled(String name) {
    Path dir = templatesDir.resolve(Names.requireQubeName(name));
    return Files.isDirectory(dir.resolve("root").resolve("bin")) && Files.isRegularFile(dir.resolve("digest"));
  }

  public static void main(String[] argv) {
    boolean ifMissing = argv.length > 0 && argv[0].equals("--if-missing");
    String[] args = ifMissing ? java.util.Arrays.copyOfRange(argv, 1, argv.length) : argv;
    if (args.length < 1) {
      System.err.println("usage: TemplateBuilder [--if-missing] TEMPLATES_DIR [NAME [SUITE [MIRROR [PKG,PKG...]]]]");
      System.exit(2);
    }
    String name = args.length > 1 ? args[1] : DEFAULT_NAME;
    String suite = args.length > 2 ? args[2] : DEFAULT_SUITE;
    String mirror = args.length > 3 ? args[3] : DEFAULT_MIRROR;
    List<String> pkgs = args.length > 4 ? List.of(args[4].split(",")) : DEFAULT_PACKAGES;
    try {
      TemplateBuilder builder = create(Path.of(args[0]));
      if (ifMissing && builder.isInstalled(name)) {
        return;
      }
      System.err.println("qair: building template " + name + " (debootstrap " + suite + " from " + mirror
          + "; a few minutes, once)");
      long t0 = System.nanoTime();
      String digest = builder.build(name, suite, mirror, pkgs);
      System.err.printf("qair: template %s built in %d s%n", name, (System.nanoTime() - t0) / 1_000_000_000L);
      System.out.println(name + " " + digest);
    } catch (QairException e) {
      System.err.println(e.getMessage());
      System.exit(e.kind().exitCode());
    }
  }
}
