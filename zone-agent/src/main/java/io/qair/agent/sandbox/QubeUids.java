package io.qair.agent.sandbox;

import io.qair.protocol.QairException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One host uid per qube, so qubes cannot touch each other's files even outside their namespaces.
 * A uid is claimed host-wide by creating {@code CLAIMS/UID} (atomic), so two zones on one host
 * never share one; the qube remembers its uid in {@code qubeDir/uid}.
 *
 * <p>A template gets a range of {@link #RANGE} host uids of its own (inside uid N of its TemplateVM
 * is host uid base + N), above the qube uids: range k starts at {@code BASE + COUNT + k * RANGE},
 * claimed as {@code CLAIMS/range-k}; the template remembers its base in {@code templateDir/uid-range}.
 */
final class QubeUids {
  static final int BASE = Integer.getInteger("qair.sandbox.uidBase", 200_000);
  static final int COUNT = 65_536;
  static final Path DEFAULT_CLAIMS = Path.of("/var/lib/qair/sandbox-uids");
  static final int RANGE = 65_536;
  static final int RANGES = 1024;
  static final String RANGE_FILE = "uid-range";

  private final Path claims;

  QubeUids(Path claims) {
    this.claims = claims;
  }

  /** The qube's uid, claiming a free one on first use. */
  synchronized int uidFor(Path qubeDir) {
    Path file = qubeDir.resolve("uid");
    try {
      if (Files.exists(file)) {
        int uid = Integer.parseInt(Files.readString(file).trim());
        if (uid < BASE || uid >= BASE + COUNT) {
          throw new IOException("uid " + uid + " out of range");
        }
        return uid;
      }
      Files.createDirectories(claims, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Set<String> taken = new HashSet<>();
      try (Stream<Path> s = Files.list(claims)) {
        s.forEach(p -> taken.add(p.getFileName().toString()));
      }
      for (int uid = BASE + 1; uid < BASE + COUNT; uid++) {
        if (taken.contains(Integer.toString(uid))) {
          continue;
        }
        try {
          Path claim = Files.createDirectory(claims.resolve(Integer.toString(uid)));
          Files.writeString(claim.resolve("owner"), qubeDir.toAbsolutePath().toString());
          Files.writeString(file, Integer.toString(uid), StandardCharsets.US_ASCII);
          return uid;
        } catch (FileAlreadyExistsException e) {
          // another agent claimed it first: try the next one
        }
      }
      throw QairException.unavailable("no free sandbox uid left in " + claims, null);
    } catch (IOException | NumberFormatException e) {
      throw QairException.unavailable("cannot allocate a uid for " + qubeDir + ": " + e.getMessage(), e);
    }
  }

  /** True when {@code uid} is one of the template ranges' host uids (never a qube's own uid). */
  static boolean inTemplateRanges(int uid) {
    return uid >= BASE + COUNT && uid < BASE + COUNT + RANGES * RANGE;
  }

  /** The first host uid of the template's range, claiming a free range on first use. */
  synchronized int rangeFor(Path templateDir) {
    Path file = templateDir.resolve(RANGE_FILE);
    try {
      if (Files.exists(file)) {
        int base = Integer.parseInt(Files.readString(file).trim());
        int k = (base - BASE - COUNT) / RANGE;
        if (!inTemplateRanges(base) || (base - BASE - COUNT) % RANGE != 0) {
          throw new IOException("uid range " + base + " is not one of this host's template ranges");
        }
        Path claim = claims.resolve("range-" + k);
        if (!Files.exists(claim)) { // e.g. the claims were reset: take it back if nobody else did
          Files.createDirectories(claim);
          Files.writeString(claim.resolve("owner"), templateDir.toAbsolutePath().toString());
        }
        return base;
      }
      Files.createDirectories(claims, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      for (int k = 0; k < RANGES; k++) {
        try {
          Path claim = Files.createDirectory(claims.resolve("range-" + k));
          Files.writeString(claim.resolve("owner"), templateDir.toAbsolutePath().toString());
          int base = BASE + COUNT + k * RANGE;
          Files.writeString(file, Integer.toString(base), StandardCharsets.US_ASCII);
          return base;
        } catch (FileAlreadyExistsException e) {
          // taken: try the next one
        }
      }
      throw QairException.unavailable("no free template uid range left in " + claims, null);
    } catch (IOException | NumberFormatException e) {
      throw QairException.unavailable("cannot allocate a uid range for template " + templateDir + ": "
          + e.getMessage(), e);
    }
  }

  /** Gives a template's uid range back (its files must be gone: they belong to the range). */
  synchronized void releaseRange(Path templateDir) {
    Path file = templateDir.resolve(RANGE_FILE);
    try {
      if (!Files.exists(file)) {
        return;
      }
      int k = (Integer.parseInt(Files.readString(file).trim()) - BASE - COUNT) / RANGE;
      Path claim = claims.resolve("range-" + k);
      Path owner = claim.resolve("owner");
      if (Files.exists(owner) && Files.readString(owner).equals(templateDir.toAbsolutePath().toString())) {
        Files.deleteIfExists(owner);
        Files.deleteIfExists(claim);
      }
      Files.deleteIfExists(file);
    } catch (IOException | NumberFormatException e) {
      // a leaked claim only costs one range
    }
  }

  /** Gives the qube's uid back (when its volumes are removed). */
  synchronized void release(Path qubeDir) {
    Path file = qubeDir.resolve("uid");
    try {
      if (!Files.exists(file)) {
        return;
      }
      String uid = Files.readString(file).trim();
      Path claim = claims.resolve(uid);
      Path owner = claim.resolve("owner");
      if (Files.exists(owner) && Files.readString(owner).equals(qubeDir.toAbsolutePath().toString())) {
        Files.deleteIfExists(owner);
        Files.deleteIfExists(claim);
      }
    } catch (IOException e) {
      // a leaked claim only costs one uid of the range
    }
  }
}
