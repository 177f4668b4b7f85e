package io.qair.controlplane.policy;

import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** An in-memory policy tree, for tests, fuzzing and validating text that is not on disk yet. */
final class MemoryPolicySource implements PolicySource {
  private final Map<String, byte[]> files;

  MemoryPolicySource(Map<String, byte[]> files) {
    this.files = Map.copyOf(files);
  }

  @Override
  public Kind kind(String path) {
    if (files.containsKey(path)) {
      return Kind.FILE;
    }
    if (path.isEmpty()) {
      return Kind.DIRECTORY;
    }
    String prefix = path + "/";
    return files.keySet().stream().anyMatch(k -> k.startsWith(prefix)) ? Kind.DIRECTORY
        : Kind.MISSING;
  }

  @Override
  public List<String> list(String directory) {
    String prefix = directory.isEmpty() ? "" : directory + "/";
    TreeSet<String> names = new TreeSet<>();
    for (String k : files.keySet()) {
      if (k.startsWith(prefix)) {
        String rest = k.substring(prefix.length());
        int slash = rest.indexOf('/');
        names.add(slash < 0 ? rest : rest.substring(0, slash));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public byte[] read(String path, int limit) throws NoSuchFileException {
    byte[] b = files.get(path);
    if (b == null) {
      throw new NoSuchFileException(path);
    }
    return Arrays.copyOf(b, Math.min(b.length, limit + 1));
  }
}
