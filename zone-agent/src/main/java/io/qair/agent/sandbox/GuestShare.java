package io.qair.agent.sandbox;

import io.qair.protocol.QairException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What qair puts in every qube, read-only, whatever its template: {@code /run/qair/bin} (the
 * qrexec tools: {@code qrexec-client-vm}, {@code qubes-rpc-multiplexer}, {@code qvm-copy-to-vm},
 * {@code qvm-copy}, {@code qvm-move}, {@code qvm-open-in-vm}, {@code qvm-open-in-dvm}; on the
 * qube's PATH) and {@code /run/qair/rpc} (the standard services, searched after the qube's and the
 * template's own). The agent builds it once in {@code run/share} (the guest binary under the two
 * names it answers to, the scripts from this package's resources) and hard-links it into each
 * qube's socket directory, which the qube sees as {@code /run/qair}: existing templates need no
 * rebuild, and a qube cannot change any of it (root-owned, bound read-only).
 */
final class GuestShare {
  private static final String RESOURCES = "/io/qair/agent/share/";
  static final List<String> RPC = List.of("qubes.GetDate", "qubes.VMShell", "qubes.Filecopy", "qubes.OpenURL",
      "qubes.OpenInVM");
  /** Scripts, and the names each is also installed as (it looks at its own name). */
  private static final List<List<String>> SCRIPTS = List.of(
      List.of("qvm-copy-to-vm", "qvm-copy", "qvm-move", "qvm-move-to-vm"),
      List.of("qvm-open-in-vm", "qvm-open-in-dvm"));
  static final List<String> GUEST_NAMES = List.of("qrexec-client-vm", "qubes-rpc-multiplexer");

  private GuestShare() {}

  /** Builds {@code share} (replacing what an older agent left) from the guest binary and the resources. */
  static void build(Path share, Path guestBinary) {
    try {
      Volumes.deleteTree(share);
      Volumes.agentDirectory(share, "rwxr-xr-x");
      Path bin = share.resolve("bin");
      Path rpc = share.resolve("rpc");
      Volumes.agentDirectory(bin, "rwxr-xr-x");
      Volumes.agentDirectory(rpc, "rwxr-xr-x");
      Path guest = bin.resolve(GUEST_NAMES.get(0));
      Files.copy(guestBinary, guest, StandardCopyOption.REPLACE_EXISTING);
      executable(guest);
      for (String other : GUEST_NAMES.subList(1, GUEST_NAMES.size())) {
        Files.createLink(bin.resolve(other), guest);
      }
      for (String name : RPC) {
        resource("rpc/" + name, rpc.resolve(name));
      }
      for (List<String> names : SCRIPTS) {
        Path first = bin.resolve(names.get(0));
        resource("bin/" + names.get(0), first);
        for (String other : names.subList(1, names.size())) {
          Files.createLink(bin.resolve(other), first);
        }
      }
    } catch (IOException e) {
      throw QairException.unavailable("cannot build the qube tools in " + share + ": " + e.getMessage(), e);
    }
  }

  private static void resource(String name, Path to) throws IOException {
    try (InputStream in = GuestShare.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException(name + " is missing from the agent's build");
      }
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
    executable(to);
  }

  private static void executable(Path p) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  /** Links {@code share/bin} and {@code share/rpc} into a qube's fresh socket directory. */
  static void linkInto(Path share, Path socketDir) {
    try {
      for (String sub : List.of("bin", "rpc")) {
        Path to = socketDir.resolve(sub);
        Volumes.agentDirectory(to, "rwxr-xr-x");
        try (var files = Files.list(share.resolve(sub))) {
          for (Path f : files.toList()) {
            Path target = to.resolve(f.getFileName());
            try {
              Files.createLink(target, f);
            } catch (FileAlreadyExistsException e) {
              // a qube restarted without its directory being cleared: keep what is there
            } catch (IOException | UnsupportedOperationException e) {
              Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            }
          }
        }
      }
    } catch (IOException e) {
      throw QairException.unavailable("cannot give the qube its tools in " + socketDir + ": " + e.getMessage(), e);
    }
  }
}
