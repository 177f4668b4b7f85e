package io.qair.controlplane.policy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A source with one top-level file replaced (or removed, when {@code text} is null). */
final class OverlayPolicySource implements PolicySource {
  private final PolicySource base;
  private final String name;
  private final byte[] text;

  OverlayPolicySource(PolicySource base, String name, byte[] text) {
    this.base = base;
    this.name = name;
    this.text = text;
  }

  @Override
  public Kind kind(String path) throws IOException {
    if (path.equals(name)) {
      return text == null ? Kind.MISSING : Kind.FILE;
    }
    return base.kind(path);
  }

  @Override
  public List<String> list(String directory) throws IOException {
    List<String> names = new ArrayList<>(base.list(directory));
    if (directory.isEmpty()) {
      names.remove(name);
      if (text != null) {
        names.add(name);
      }
    }
    return names;
  }

  @Override
  public byte[] read(String path, int limit) throws IOException {
    if (!path.equals(name)) {
      return base.read(path, limit);
    }
    if (text == null) {
      throw new NoSuchFileException(path);
    }
    return Arrays.copyOf(text, Math.min(text.length, limit + 1));
  }
}
