package io.qair.controlplane.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the parser reads a policy from: a directory tree addressed by relative paths ({@code ""} is
 * the root, segments separated by {@code /}). The parser only ever passes paths it has normalised
 * and checked not to climb out of the root.
 */
public interface PolicySource {
  /** What a path names. {@code OUTSIDE}: it resolves (through a link) out of the root. */
  enum Kind { FILE, DIRECTORY, MISSING, OUTSIDE, OTHER }

  Kind kind(String path) throws IOException;

  /** Names of the entries in a directory, in no particular order. */
  List<String> list(String directory) throws IOException;

  /** A file's first {@code limit + 1} bytes at most, so the caller can tell it is too large. */
  byte[] read(String path, int limit) throws IOException;

  /** The directory {@code root} on disk; links are followed but must stay inside it. */
  static PolicySource directory(Path root) {
    return new DirectoryPolicySource(root);
  }

  /** An in-memory tree: keys are relative file paths, values their text. */
  static PolicySource of(Map<String, String> files) {
    Map<String, byte[]> bytes = new TreeMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return new MemoryPolicySource(bytes);
  }

  /**
   * This source with the top-level file {@code name} replaced by {@code text}, or removed when
   * {@code text} is null. Used to validate a change before it is written.
   */
  default PolicySource with(String name, String text) {
    return new OverlayPolicySource(this, name, text == null ? null
        : text.getBytes(StandardCharsets.UTF_8));
  }
}
