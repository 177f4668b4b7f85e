package io.qair.controlplane.policy;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy directory of the master and the policy in force. Every change is validated as the
 * whole policy it would make; only a valid one is written (atomically) and put in force, so a bad
 * file changes nothing. Thread-safe: readers never wait; changes are serialised.
 */
public final class PolicyStore {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyStore.class);
  private static final Pattern NAME = Pattern.compile("[0-9A-Za-z_-][0-9A-Za-z_.-]{0,63}");
  /** The files {@link #installDefaults} copies, from {@code /policy/} on the class path. */
  static final List<String> DEFAULT_FILES = List.of("30-user.policy", "90-default.policy");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final PolicySource disk;
  private final Object writeLock = new Object();
  private volatile Policy policy;
  private volatile List<PolicyError> loadErrors;

  private PolicyStore(Path dir) {
    this.dir = dir;
    this.disk = PolicySource.directory(dir);
  }

  /**
   * Opens the policy directory (creating it when missing) and loads it. A directory with errors
   * puts the deny-all policy in force; {@link #loadErrors()} says why.
   */
  public static PolicyStore open(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw QairException.unavailable("cannot create the policy directory " + dir, e);
    }
    PolicyStore store = new PolicyStore(dir);
    try {
      store.policy = PolicyParser.parse(store.disk);
      store.loadErrors = List.of();
    } catch (PolicyException e) {
      store.policy = Policy.denyAll();
      store.loadErrors = e.errors();
      LOG.error("policy in {} is invalid; every qrexec call is denied until it is fixed:\n{}",
          dir, e.getMessage());
    }
    return store;
  }

  /** The policy in force. */
  public Policy policy() {
    return policy;
  }

  /** Decides a call with the policy in force. */
  public Decision evaluate(PolicyRequest request, SystemInfo system) {
    return policy.evaluate(request, system);
  }

  /** Why the last load or reload put deny-all in force; empty when it went well. */
  public List<PolicyError> loadErrors() {
    return loadErrors;
  }

  /** The names of the top-level policy files, without {@code .policy}, in evaluation order. */
  public List<String> list() {
    List<String> names = new ArrayList<>();
    try {
      for (String f : disk.list("")) {
        if (f.endsWith(PolicyParser.SUFFIX) && !f.startsWith(".")
            && disk.kind(f) == PolicySource.Kind.FILE) {
          names.add(f.substring(0, f.length() - PolicyParser.SUFFIX.length()));
        }
      }
    } catch (IOException e) {
      throw QairException.unavailable("cannot list the policy directory", e);
    }
    names.sort((a, b) -> (a + PolicyParser.SUFFIX).compareTo(b + PolicyParser.SUFFIX));
    return names;
  }

  /** The text of policy file {@code name}. */
  public String get(String untrustedName) {
    String file = fileName(untrustedName);
    try {
      if (disk.kind(file) != PolicySource.Kind.FILE) {
        throw QairException.notFound("no policy file '" + Names.printable(untrustedName) + "'");
      }
      byte[] b = disk.read(file, PolicyLimits.MAX_FILE_BYTES);
      return new String(b, 0, Math.min(b.length, PolicyLimits.MAX_FILE_BYTES),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw QairException.unavailable("cannot read policy file " + file, e);
    }
  }

  /**
   * Creates or replaces policy file {@code name}. The whole policy with the new file in place is
   * validated first; if it has errors nothing is written and the policy in force stays.
   *
   * @throws PolicyException listing every error of the resulting policy
   */
  public void replace(String untrustedName, String text) {
    String file = fileName(untrustedName);
    if (text == null) {
      throw QairException.badRequest("no policy text given");
    }
    if (text.length() > PolicyLimits.MAX_FILE_BYTES) { // cheap check before encoding it
      throw new PolicyException(List.of(new PolicyError(file, 0,
          "the file is larger than " + PolicyLimits.MAX_FILE_BYTES + " bytes")));
    }
    synchronized (writeLock) {
      Policy next = PolicyParser.parse(disk.with(file, text));
      write(file, text.getBytes(StandardCharsets.UTF_8));
      swap(next);
    }
  }

  /**
   * Removes policy file {@code name}, if the policy without it is valid (another file may include
   * it).
   */
  public void remove(String untrustedName) {
    String file = fileName(untrustedName);
    synchronized (writeLock) {
      try {
        if (disk.kind(file) != PolicySource.Kind.FILE) {
          throw QairException.notFound("no policy file '" + Names.printable(untrustedName) + "'");
        }
        Policy next = PolicyParser.parse(disk.with(file, null));
        Files.delete(dir.resolve(file));
        syncDirectory();
        swap(next);
      } catch (IOException e) {
        throw QairException.unavailable("cannot remove policy file " + file, e);
      }
    }
  }

  /** Every error of the directory as it is on disk now; the policy in force is not touched. */
  public List<PolicyError> check() {
    return PolicyParser.check(disk);
  }

  /**
   * Reads the directory again (after it was edited by hand) and puts it in force if valid.
   *
   * @throws PolicyException if not; the policy in force stays
   */
  public void reload() {
    synchronized (writeLock) {
      swap(PolicyParser.parse(disk));
    }
  }

  private void swap(Policy next) {
    policy = next;
    loadErrors = List.of();
  }

  /** {@code NAME.policy} for a valid name given with or without its suffix. */
  static String fileName(String untrustedName) {
    String n = untrustedName == null ? "" : untrustedName;
    if (n.endsWith(PolicyParser.SUFFIX)) {
      n = n.substring(0, n.length() - PolicyParser.SUFFIX.length());
    }
    if (!NAME.matcher(n).matches()) {
      throw QairException.badRequest("invalid policy name '" + Names.printable(untrustedName)
          + "': use 1-64 letters, digits, '_', '.' or '-', not starting with '.'");
    }
    return n + PolicyParser.SUFFIX;
  }

  private void write(String file, byte[] content) {
    Path target = dir.resolve(file);
    Path tmp = dir.resolve("." + file + ".tmp-" + HexFormat.of().formatHex(randomBytes()));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw QairException.unavailable("cannot write policy file " + file, e);
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  private void syncDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot sync directory {}: {}", dir, e.toString());
    }
  }

  /**
   * Copies the default policy files into {@code dir} if it has no policy file yet (a new
   * installation).
   *
   * @return whether the defaults were installed
   */
  public static boolean installDefaults(Path dir) {
    try {
      Files.createDirectories(dir);
      try (var entries = Files.list(dir)) {
        if (entries.anyMatch(p -> p.getFileName().toString().endsWith(PolicyParser.SUFFIX))) {
          return false;
        }
      }
      for (String name : DEFAULT_FILES) {
        try (InputStream in = PolicyStore.class.getResourceAsStream("/policy/" + name)) {
          if (in == null) {
            throw new IllegalStateException("default policy " + name + " missing from the build");
          }
          Files.copy(in, dir.resolve(name));
        }
      }
      return true;
    } catch (IOException e) {
      throw QairException.unavailable("cannot install the default policy in " + dir, e);
    }
  }
}
