package io.qair.agent.display.x11;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * An MIT-MAGIC-COOKIE-1 and the Xauthority file that carries it: Xvnc reads the file with
 * {@code -auth FILE}, clients through {@code XAUTHORITY=FILE}, and the agent passes the cookie bytes
 * to {@link WindowManager#start}.
 *
 * <p>The file holds one entry: family FamilyWild (0xFFFF), empty address and empty display number (so it
 * matches every host and display), name MIT-MAGIC-COOKIE-1, and the 16 cookie bytes. The X server
 * reads the file at start (and at every reset) and then refuses any client that does not present
 * one of its cookies; without {@code -auth} it accepts every local client.
 */
public final class X11Cookie {
  public static final int COOKIE_BYTES = 16;
  private static final int FAMILY_WILD = 0xffff;
  private static final SecureRandom RANDOM = new SecureRandom();

  private X11Cookie() {}

  public static byte[] random() {
    byte[] cookie = new byte[COOKIE_BYTES];
    RANDOM.nextBytes(cookie);
    return cookie;
  }

  /** The file's bytes for {@code cookie}. */
  public static byte[] authorityFile(byte[] cookie) {
    byte[] name = X11Setup.COOKIE_AUTH.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(2 + 2 + 2 + 2 + name.length + 2 + cookie.length); // big-endian
    b.putShort((short) FAMILY_WILD).putShort((short) 0).putShort((short) 0);
    b.putShort((short) name.length).put(name).putShort((short) cookie.length).put(cookie);
    return b.array();
  }

  /** Writes the cookie file atomically, readable by its owner only (chown it to the server's user). */
  public static void write(Path file, byte[] cookie) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, authorityFile(cookie));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
