package io.qair.controlplane.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A policy directory on disk. Links are followed, but a path that leaves the root is refused. */
final class DirectoryPolicySource implements PolicySource {
  private final Path root;

  DirectoryPolicySource(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Kind kind(String path) throws IOException {
    Path p = resolve(path);
    if (!Files.exists(p)) {
      return Kind.MISSING;
    }
    Path real = p.toRealPath();
    if (!real.startsWith(root.toRealPath())) {
      return Kind.OUTSIDE;
    }
    if (Files.isRegularFile(real)) {
      return Kind.FILE;
    }
    return Files.isDirectory(real) ? Kind.DIRECTORY : Kind.OTHER;
  }

  @Override
  public List<String> list(String directory) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(resolve(directory))) {
      for (Path e : entries) {
        names.add(e.getFileName().toString());
      }
    }
    return names;
  }

  @Override
  public byte[] read(String path, int limit) throws IOException {
    if (kind(path) != Kind.FILE) {
      throw new NoSuchFileException(path);
    }
    try (InputStream in = Files.newInputStream(resolve(path))) {
      return in.readNBytes(limit + 1);
    }
  }

  private Path resolve(String path) {
    Path p = path.isEmpty() ? root : root.resolve(path).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("path escapes the policy directory: " + path);
    }
    return p;
  }
}
