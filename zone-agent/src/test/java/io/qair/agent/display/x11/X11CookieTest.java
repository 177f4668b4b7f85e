package io.qair.agent.display.x11;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class X11CookieTest {
  @TempDir Path dir;

  @Test
  void writesOneWildcardEntryReadableByItsOwnerOnly() throws Exception {
    byte[] cookie = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    Path file = dir.resolve("Xauthority");
    X11Cookie.write(file, cookie);
    // family 0xffff, no address, no display number, name, cookie: all lengths big-endian
    assertThat(HexFormat.of().formatHex(Files.readAllBytes(file))).isEqualTo("ffff" + "0000" + "0000"
        + "0012" + "4d49542d4d414749432d434f4f4b49452d31" + "0010" + "00112233445566778899aabbccddeeff");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(X11Cookie.random()).hasSize(16).isNotEqualTo(X11Cookie.random());
  }
}
