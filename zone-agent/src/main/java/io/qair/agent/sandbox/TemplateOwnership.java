package io.qair.agent.sandbox;

import io.qair.protocol.QairException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gives a template's files to its host uid range, so that root in its TemplateVM (inside uid 0 =
 * host {@code base}) owns them and nobody else does.
 *
 * <p>A template is built by host root (debootstrap), so its files belong to host uids 0-65535.
 * Before its TemplateVM first starts, every entry with a uid or gid below 65536 gets
 * {@code base + id} (links are re-owned themselves, never followed; ids already in the range stay),
 * set-user-ID and set-group-ID bits, which chown(2) clears, are put back, and the root directory
 * goes last: a root directory owned by the range means the whole tree is, and a crash half-way
 * only repeats the walk. A template rebuilt by host root is owned by host root again and is
 * re-owned at its TemplateVM's next start. File capabilities (xattrs) do not survive (the default
 * template has none).
 *
 * <p>The template's directory ({@code templatesDir/NAME}) becomes 0700: files of an unprivileged
 * uid range, set-user-ID ones among them, must not be reachable by host users (the sandboxes reach
 * the root through the launcher, which opens it as root).
 *
 * <p>AppVMs do not care: their root is read-only and their one mapped uid (1000 = their own host
 * uid) is never in a template range, so template files are "other" to them, as host root's were.
 */
final class TemplateOwnership {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TemplateOwnership.class);

  private TemplateOwnership() {}

  /** Re-owns {@code root} for its template's uid range unless that is done already; returns the range's base. */
  static int ensureOwned(Path root, QubeUids uids) {
    try {
      if (Files.isSymbolicLink(root) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw QairException.conflict("template root " + root + " is a link or not a directory: a TemplateVM"
            + " needs a root directory of its own (copy the template there)");
      }
      int base = uids.rangeFor(root.getParent());
      Files.setPosixFilePermissions(root.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      if (!owned(root, base)) {
        long t0 = System.nanoTime();
        int entries = shift(root, base);
        LOG.info("template {}: re-owned {} entries for host uids {}-{} in {} ms", root.getParent().getFileName(),
            entries, base, base + QubeUids.RANGE - 1, (System.nanoTime() - t0) / 1_000_000);
      }
      return base;
    } catch (IOException e) {
      throw QairException.unavailable("cannot give template " + root + " to its uid range: " + e.getMessage(), e);
    }
  }

  static boolean owned(Path root, int base) throws IOException {
    int uid = (Integer) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    return uid >= base && uid < base + QubeUids.RANGE;
  }

  private static int shift(Path root, int base) throws IOException {
    int[] count = new int[1];
    List<String[]> special = new ArrayList<>(); // {octal mode, path} of files whose S_ISUID/S_ISGID chown clears
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        shiftOne(f, base, special);
        count[0]++;
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        shiftOne(d, base, special);
        count[0]++;
        return FileVisitResult.CONTINUE;
      }
    });
    restoreModes(special);
    return count[0];
  }

  private static void shiftOne(Path p, int base, List<String[]> special) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    int mode = (Integer) a.get("mode");
    boolean changed = false;
    if (uid >= 0 && uid < QubeUids.RANGE) {
      Files.setAttribute(p, "unix:uid", base + uid, LinkOption.NOFOLLOW_LINKS);
      changed = true;
    }
    if (gid >= 0 && gid < QubeUids.RANGE) {
      Files.setAttribute(p, "unix:gid", base + gid, LinkOption.NOFOLLOW_LINKS);
      changed = true;
    }
    boolean regular = (mode & 0170000) == 0100000;
    if (changed && regular && (mode & 06000) != 0) {
      special.add(new String[] {Integer.toOctalString(mode & 07777), p.toString()});
    }
  }

  /** chmod(1), because java.nio cannot set S_ISUID/S_ISGID; a handful of files per template. */
  private static void restoreModes(List<String[]> special) throws IOException {
    for (String[] m : special) {
      Process p = new ProcessBuilder("chmod", m[0], "--", m[1]).redirectErrorStream(true).start();
      try {
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IOException("cannot restore the mode of " + m[1] + ": " + out);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
