package io.qair.agent.apps;

import io.qair.protocol.agent.AppEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the applications of a qube from freedesktop {@code .desktop} files. The files are written
 * by the qube (its home) or its template: read without following links, bounded in number and
 * size, and parsed defensively; a file that does not parse is skipped.
 */
public final class DesktopEntries {
  static final int MAX_FILES = 512;
  static final int MAX_FILE_BYTES = 64 * 1024;
  static final int MAX_NAME = 80;
  static final int MAX_ARGS = 64;
  static final int MAX_ARG = 1024;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

  private DesktopEntries() {}

  /**
   * The applications in {@code dirs}, later directories overriding earlier ones by id (a qube's own
   * entries override its template's), sorted by name.
   */
  public static List<AppEntry> read(List<Path> dirs) {
    return read(dirs, null);
  }

  /**
   * As {@link #read(List)}; a directory under {@code confinedTo} (a qube's home, which the qube
   * controls) is only read if no component below {@code confinedTo} is a symbolic link and it
   * really is inside.
   */
  public static List<AppEntry> read(List<Path> dirs, Path confinedTo) {
    Map<String, Optional<AppEntry>> byId = new TreeMap<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
          || (confinedTo != null && dir.startsWith(confinedTo) && !confined(dir, confinedTo))) {
        continue;
      }
      int files = 0;
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.desktop")) {
        for (Path f : s) {
          if (++files > MAX_FILES) {
            break;
          }
          String file = f.getFileName().toString();
          String id = file.substring(0, file.length() - ".desktop".length());
          if (!ID.matcher(id).matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          byId.put(id, readFile(f).flatMap(text -> parse(id, text)));
        }
      } catch (IOException e) {
        // an unreadable directory offers nothing
      }
    }
    List<AppEntry> out = new ArrayList<>();
    byId.values().forEach(e -> e.ifPresent(out::add));
    out.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
    return out;
  }

  private static boolean confined(Path dir, Path base) {
    try {
      Path p = base;
      for (Path part : base.relativize(dir)) {
        p = p.resolve(part);
        if (Files.isSymbolicLink(p) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          return false;
        }
      }
      return dir.toRealPath().startsWith(base.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<String> readFile(Path f) {
    try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
      byte[] data = in.readNBytes(MAX_FILE_BYTES + 1);
      if (data.length > MAX_FILE_BYTES) {
        return Optional.empty();
      }
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(data)).toString());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The [Desktop Entry] group of an application that is meant to be shown, or empty. */
  static Optional<AppEntry> parse(String id, String untrustedText) {
    Map<String, String> keys = new TreeMap<>();
    boolean inMain = false;
    for (String raw : untrustedText.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        inMain = line.equals("[Desktop Entry]");
        continue;
      }
      int eq = line.indexOf('=');
      if (!inMain || eq <= 0) {
        continue;
      }
      keys.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    if (!"Application".equals(keys.get("Type")) || "true".equals(keys.get("NoDisplay"))
        || "true".equals(keys.get("Hidden"))) {
      return Optional.empty();
    }
    String name = clean(keys.getOrDefault("Name", ""));
    Optional<List<String>> exec = exec(keys.getOrDefault("Exec", ""));
    if (name.isEmpty() || exec.isEmpty() || exec.get().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new AppEntry(id, name, exec.get(), "true".equals(keys.get("Terminal"))));
  }

  /** Splits an Exec value (quoting per the spec) and drops field codes; empty if malformed. */
  static Optional<List<String>> exec(String value) {
    List<String> args = new ArrayList<>();
    StringBuilder cur = null;
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted) {
        if (c == '"') {
          quoted = false;
        } else if (c == '\\' && i + 1 < value.length()) {
          cur.append(value.charAt(++i));
        } else {
          cur.append(c);
        }
      } else if (c == ' ' || c == '\t') {
        if (cur != null) {
          args.add(cur.toString());
          cur = null;
        }
      } else if (c == '"') {
        quoted = true;
        cur = cur == null ? new StringBuilder() : cur;
      } else if (c == '%' && i + 1 < value.length()) {
        char code = value.charAt(++i);
        if (code == '%') {
          cur = (cur == null ? new StringBuilder() : cur).append('%');
        }
        // %f %F %u %U %i %c %k and the deprecated ones: nothing to pass from a menu
      } else {
        cur = (cur == null ? new StringBuilder() : cur).append(c);
      }
      if (cur != null && cur.length() > MAX_ARG) {
        return Optional.empty();
      }
    }
    if (quoted) {
      return Optional.empty();
    }
    if (cur != null) {
      args.add(cur.toString());
    }
    if (args.size() > MAX_ARGS || args.stream().anyMatch(a -> a.chars().anyMatch(ch -> ch < 0x20))) {
      return Optional.empty();
    }
    return Optional.of(List.copyOf(args));
  }

  private static String clean(String untrusted) {
    StringBuilder b = new StringBuilder();
    untrusted.codePoints().filter(cp -> !Character.isISOControl(cp)
        && Character.getType(cp) != Character.FORMAT).limit(MAX_NAME).forEach(b::appendCodePoint);
    return b.toString().strip();
  }
}
