package io.qair.agent.sandbox;

import io.qair.protocol.QairException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/** File-tree chores on qube volumes. Nothing here follows a link a qube may have planted. */
final class Volumes {
  private Volumes() {}

  /** Deletes a tree; symbolic links are removed, never followed. Missing is fine. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw QairException.unavailable("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Gives every entry of {@code root} owned by {@code fromUid} (uid or gid) to {@code toUid}; links not followed. */
  static void reownTree(Path root, int fromUid, int toUid) {
    try {
      reown(root, fromUid, toUid);
    } catch (IOException e) {
      throw QairException.unavailable("cannot re-own " + root + ": " + e.getMessage(), e);
    }
  }

  private static void reown(Path root, int fromUid, int toUid) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        visitFile(d, a);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        if ((Integer) Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS) == fromUid) {
          Files.setAttribute(f, "unix:uid", toUid, LinkOption.NOFOLLOW_LINKS);
        }
        if ((Integer) Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS) == fromUid) {
          Files.setAttribute(f, "unix:gid", toUid, LinkOption.NOFOLLOW_LINKS);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Creates (or checks) a real directory owned by {@code uid} with mode 0700. */
  static void ownedDirectory(Path dir, int uid) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir);
      }
      PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isDirectory()) {
        throw QairException.unavailable(dir + " should be a directory; move it away and start again", null);
      }
      Files.setAttribute(dir, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw QairException.unavailable("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Creates an agent-owned directory (root, {@code mode}) and its missing parents. */
  static void agentDirectory(Path dir, String mode) {
    try {
      Files.createDirectories(dir);
      Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(PosixFilePermissions.fromString(mode));
    } catch (IOException e) {
      throw QairException.unavailable("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies a template root once ({@code cp -a}) for a StandaloneVM; atomic via rename. Files the
   * template's own user made (host uid {@code fromUid}, or -1 if the template never ran) go to the
   * standalone's user {@code toUid}.
   */
  static void copyRoot(Path templateRoot, Path target, int fromUid, int toUid) {
    Path tmp = target.resolveSibling(target.getFileName() + ".copying");
    deleteTree(tmp);
    try {
      Process p = new ProcessBuilder("cp", "-a", "--reflink=auto", templateRoot.toString() + "/.", tmp.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw QairException.unavailable("cannot copy template " + templateRoot + ": " + out.strip(), null);
      }
      if (fromUid >= 0) {
        reown(tmp, fromUid, toUid);
      }
      Files.move(tmp, target);
    } catch (IOException e) {
      throw QairException.unavailable("cannot copy template " + templateRoot + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw QairException.unavailable("interrupted while copying a template", e);
    }
  }
}
