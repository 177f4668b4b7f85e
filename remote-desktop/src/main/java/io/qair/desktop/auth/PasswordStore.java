package io.qair.desktop.auth;

import io.qair.protocol.pki.SecureFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop's one password, kept in {@code DATA_DIR/password.hash} as a {@link PasswordHash}. On
 * first start a random password is made and written once, in clear, to
 * {@code DATA_DIR/first-login-password} (0600) for the user to read; only the hash is kept for
 * checking. Removing {@code password.hash} makes a new password at the next start.
 */
public final class PasswordStore {
  public static final String HASH_FILE = "password.hash";
  public static final String FIRST_LOGIN_FILE = "first-login-password";
  private static final Logger LOG = LoggerFactory.getLogger(PasswordStore.class);
  /** No 0/O, 1/l/I: the user may have to type it. 20 of 56 symbols: about 116 bits. */
  private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final int LENGTH = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PasswordHash hash;

  private PasswordStore(PasswordHash hash) {
    this.hash = hash;
  }

  /** Loads the hash from {@code dataDir}, or makes a first password. Blocks (slow KDF). */
  public static PasswordStore loadOrCreate(Path dataDir) {
    SecureFiles.ownerOnlyDir(dataDir);
    Path hashFile = dataDir.resolve(HASH_FILE);
    if (Files.exists(hashFile)) {
      return new PasswordStore(PasswordHash.parse(SecureFiles.read(hashFile)));
    }
    String password = generate();
    PasswordHash hash = PasswordHash.create(password);
    SecureFiles.writePrivate(dataDir.resolve(FIRST_LOGIN_FILE), password + "\n");
    SecureFiles.writePrivate(hashFile, hash.encode() + "\n");
    LOG.info("first start: the login password is in {}", dataDir.resolve(FIRST_LOGIN_FILE));
    return new PasswordStore(hash);
  }

  /** True when {@code untrustedPassword} is the password. Slow on purpose: not on the event loop. */
  public boolean check(String untrustedPassword) {
    return hash.matches(untrustedPassword);
  }

  static String generate() {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
