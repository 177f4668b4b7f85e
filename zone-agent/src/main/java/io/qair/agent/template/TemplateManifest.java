package io.qair.agent.template;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic listing of a template root: one line per entry, sorted by path,
 * {@code TYPE MODE UID GID SIZE SHA256|TARGET PATH}. Its SHA-256 is the template's digest, so two
 * builds with equal content have equal digests. Links are recorded, never followed.
 */
public final class TemplateManifest {
  private TemplateManifest() {}

  /** Builds the manifest text of {@code root}. */
  public static String of(Path root) throws IOException {
    Map<String, String> lines = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        lines.put(rel(root, d), line("d", d, 0, "-"));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        if (a.isSymbolicLink()) {
          lines.put(rel(root, f), line("l", f, 0, Files.readSymbolicLink(f).toString().replace(' ', '?')));
        } else if (a.isRegularFile()) {
          lines.put(rel(root, f), line("f", f, a.size(), sha256(f)));
        } else {
          lines.put(rel(root, f), line("o", f, 0, "-"));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    StringBuilder sb = new StringBuilder();
    lines.forEach((path, line) -> sb.append(line).append(' ').append(path).append('\n'));
    return sb.toString();
  }

  /** Writes {@code manifest} and {@code digest} next to {@code root}; returns the digest. */
  public static String write(Path templateDir) throws IOException {
    String manifest = of(templateDir.resolve("root").toRealPath());
    byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
    String digest = HexFormat.of().formatHex(sha().digest(bytes));
    Files.write(templateDir.resolve("manifest"), bytes);
    Files.writeString(templateDir.resolve("digest"), digest + "\n");
    return digest;
  }

  /** Sum of the sizes of the regular files a manifest lists. */
  static long totalSize(Path manifest) throws IOException {
    long total = 0;
    try (BufferedReader r = Files.newBufferedReader(manifest)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(" ", 7);
        if (f.length == 7 && f[0].equals("f")) {
          total += Long.parseLong(f[4]);
        }
      }
    } catch (NumberFormatException e) {
      throw new IOException("malformed manifest " + manifest, e);
    }
    return total;
  }

  private static String line(String type, Path p, long size, String content) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode") & 07777;
    return type + " " + String.format("%04o", mode) + " " + a.get("uid") + " " + a.get("gid") + " " + size + " " + content;
  }

  private static String rel(Path root, Path p) {
    String r = root.relativize(p).toString();
    return r.isEmpty() ? "." : r.replace('\n', '?');
  }

  static String sha256(Path f) throws IOException {
    MessageDigest md = sha();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
