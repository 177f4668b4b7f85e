package io.qair.agent.template;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.TemplateInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The zone's template store: {@code templatesDir/NAME/root} is a template's root filesystem,
 * {@code NAME/manifest} lists every file of it and {@code NAME/digest} is the SHA-256 of that
 * manifest (see {@link TemplateManifest}). Template contents are untrusted; the store layout is
 * the agent's.
 */
public final class TemplateStore {
  private final Path dir;

  private TemplateStore(Path dir) {
    this.dir = dir;
  }

  public static TemplateStore open(Path templatesDir) {
    return new TemplateStore(templatesDir);
  }

  public Path directory() {
    return dir;
  }

  /** The root of an installed template; NOT_FOUND if there is none. */
  public Path root(String name) {
    Names.requireQubeName(name);
    Path root = dir.resolve(name).resolve("root");
    if (!Files.isDirectory(root)) {
      throw QairException.notFound("template " + name + " is not installed in this zone (no " + root + ")");
    }
    return root;
  }

  /**
   * Installed templates. The digest is the one recorded when the template was built, or null when
   * none was recorded (e.g. a root copied in by hand); the size is the manifest's total, or 0.
   */
  public List<TemplateInfo> list() {
    List<TemplateInfo> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path t : s.sorted().toList()) {
        String name = t.getFileName().toString();
        if (!Names.isValidQubeName(name) || !Files.isDirectory(t.resolve("root"))) {
          continue;
        }
        String digest = Files.isRegularFile(t.resolve("digest")) ? Files.readString(t.resolve("digest")).trim() : null;
        long size = Files.isRegularFile(t.resolve("manifest")) ? TemplateManifest.totalSize(t.resolve("manifest")) : 0;
        out.add(new TemplateInfo(name, digest, size));
      }
    } catch (IOException e) {
      throw QairException.unavailable("cannot list templates in " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }
}
