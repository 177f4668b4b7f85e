package io.qair.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TemplateVM started writable changes what its AppVMs see; root in a TemplateVM installs software
 * that AppVMs run and cannot change; a StandaloneVM has its own root. Uses a full copy of the test
 * template ({@code cp -a}, never hard links: a TemplateVM start re-owns its template's files, which
 * must not reach the shared template's inodes), with a world-writable {@code /opt}.
 */
class SandboxTemplateIT {
  private static SandboxFixture fixture;
  private static SandboxIsolationBackend backend;
  private static Path tvmRoot;

  @BeforeAll
  static void setUp() throws Exception {
    fixture = new SandboxFixture();
    tvmRoot = fixture.config.templatesDir().resolve("tvm/root");
    Files.createDirectories(tvmRoot.getParent());
    Process cp = new ProcessBuilder("cp", "-a", "--reflink=auto", SandboxFixture.templateRoot() + "/.", tvmRoot.toString())
        .inheritIO().start();
    assertThat(cp.waitFor()).isZero();
    Files.setPosixFilePermissions(tvmRoot.resolve("opt"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    backend = fixture.newBackend();
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (String q : List.of("tvm", "tvm-app", "tvm-solo", "tvm-app2")) {
      try {
        backend.shutdown(q, Duration.ofSeconds(2));
        backend.removeVolumes(q);
      } catch (RuntimeException e) {
        // never started
      }
    }
    backend.close();
    new ProcessBuilder("rm", "-rf", tvmRoot.toString()).start().waitFor();
    new QubeUids(Path.of(System.getProperty("qair.sandbox.uidClaims"))).releaseRange(tvmRoot.getParent());
    new ProcessBuilder("rm", "-rf", fixture.config.templatesDir().resolve("tvm").toString()).start().waitFor();
    fixture.close();
  }

  private static String sh(String qube, String script) {
    return run(qube, null, script);
  }

  private static String root(String qube, String script) {
    return run(qube, ExecRequest.ROOT, script);
  }

  private static String run(String qube, String user, String script) {
    RecordingListener l = new RecordingListener();
    backend.exec(qube, new ExecRequest(List.of("sh", "-c", script), Map.of(), user), l).closeStdin();
    l.exitCode();
    return l.stdout() + l.stderr();
  }

  private static int hostUid(Path p) throws java.io.IOException {
    return (Integer) Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
  }

  private static void start(String name, String klass, String template) {
    backend.start(new QubeSpec(name, klass, template, "black", 256, 1, null, Map.of()));
  }

  /** deb.debian.org answers on port 80 within 3 s (then apt in the TemplateVM can reach it too). */
  private static boolean mirrorReachable() {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("deb.debian.org", 80), 3000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void templateChangesReachItsAppVmsAndStandaloneKeepsItsOwnRoot() throws Exception {
    start("tvm", "TemplateVM", "tvm");
    assertThat(sh("tvm", "echo v1 > /opt/installed && echo written")).isEqualTo("written\n");
    backend.shutdown("tvm", Duration.ofSeconds(2));
    assertThat(tvmRoot.resolve("opt/installed")).hasContent("v1");

    start("tvm-app", "AppVM", "tvm");
    assertThat(sh("tvm-app", "cat /opt/installed; (echo x > /opt/other) 2>/dev/null || echo read-only"))
        .isEqualTo("v1\nread-only\n");

    start("tvm-solo", "StandaloneVM", "tvm");
    assertThat(fixture.config.dataDir().resolve("qubes/tvm-solo/root/opt/installed")).hasContent("v1");
    assertThat(sh("tvm-solo", "echo mine > /opt/installed && cat /opt/installed")).isEqualTo("mine\n");
    assertThat(tvmRoot.resolve("opt/installed")).as("the template is not touched").hasContent("v1");
    backend.shutdown("tvm-solo", Duration.ofSeconds(2));
    start("tvm-solo", "StandaloneVM", "tvm");
    assertThat(sh("tvm-solo", "cat /opt/installed")).as("the standalone root persists").isEqualTo("mine\n");
  }

  @Test
  void rootInTheTemplateVmInstallsWhatAppVmsRunButCannotChangeOrUseToBecomeRoot() throws Exception {
    start("tvm", "TemplateVM", "tvm");
    int base = Integer.parseInt(Files.readString(tvmRoot.resolveSibling("uid-range")).trim());
    assertThat(hostUid(tvmRoot)).as("the template belongs to its range now").isEqualTo(base);
    assertThat(Files.getAttribute(tvmRoot.getParent(), "unix:mode")).isEqualTo(040700);
    assertThat(root("tvm", "id -u; id -g; cat /proc/self/uid_map | tr -s ' '"))
        .isEqualTo("0\n0\n 0 " + base + " 65536\n");
    assertThat(sh("tvm", "id -u; grep CapEff /proc/self/status; touch /usr/local/bin/mine 2>&1 | grep -c denied"))
        .as("the TemplateVM's user is uid 1000 with no capabilities").isEqualTo("1000\nCapEff:\t0000000000000000\n1\n");
    assertThat(sh("tvm", "su -c id root </dev/null >/dev/null 2>&1 || echo no-su; unshare -r id 2>/dev/null || echo no-userns"))
        .isEqualTo("no-su\nno-userns\n");

    // root installs a script, a set-user-ID copy of id, and a package built with dpkg-deb
    assertThat(root("tvm", "printf '#!/bin/sh\\necho hello from the template\\n' > /usr/local/bin/tpl-hello"
        + " && chmod 755 /usr/local/bin/tpl-hello && cp /usr/bin/id /usr/local/bin/suid-id && chmod 4755 /usr/local/bin/suid-id"
        + " && echo ok")).isEqualTo("ok\n");
    assertThat(sh("tvm", "mkdir -p /tmp/p/DEBIAN /tmp/p/usr/bin && printf '#!/bin/sh\\necho packaged\\n' > /tmp/p/usr/bin/qair-hello"
        + " && chmod 755 /tmp/p/usr/bin/qair-hello && printf 'Package: qair-hello\\nVersion: 1.0\\nArchitecture: all\\n"
        + "Maintainer: qair <qair@localhost>\\nDescription: test package\\n' > /tmp/p/DEBIAN/control"
        + " && dpkg-deb --root-owner-group --build /tmp/p /tmp/qair-hello.deb >/dev/null && echo built")).isEqualTo("built\n");
    assertThat(root("tvm", "dpkg -i /tmp/qair-hello.deb >/dev/null && dpkg-query -W -f '${Status}' qair-hello"))
        .isEqualTo("install ok installed");
    assertThat(root("tvm", "stat -c '%u %g %a' /usr/bin/qair-hello /usr/local/bin/suid-id"))
        .isEqualTo("0 0 755\n0 0 4755\n");
    backend.shutdown("tvm", Duration.ofSeconds(2));
    assertThat(hostUid(tvmRoot.resolve("usr/bin/qair-hello"))).as("root inside is the range's first uid").isEqualTo(base);

    start("tvm-app2", "AppVM", "tvm");
    int appUid = Integer.parseInt(Files.readString(fixture.config.dataDir().resolve("qubes/tvm-app2/uid")).trim());
    assertThat(appUid < base || appUid >= base + 65536).as("the AppVM uid is outside the template range").isTrue();
    assertThat(sh("tvm-app2", "tpl-hello; qair-hello")).isEqualTo("hello from the template\npackaged\n");
    assertThat(sh("tvm-app2", "{ echo evil > /usr/local/bin/tpl-hello; } 2>/dev/null || echo cannot-write;"
        + " rm -f /usr/local/bin/tpl-hello 2>/dev/null || echo cannot-remove; cat /usr/local/bin/tpl-hello"))
        .isEqualTo("cannot-write\ncannot-remove\n#!/bin/sh\necho hello from the template\n");
    assertThat(sh("tvm-app2", "/usr/local/bin/suid-id -u; /usr/local/bin/suid-id -ru; grep CapEff /proc/self/status"))
        .as("a set-user-ID file of the template's root is nothing to an AppVM").isEqualTo("1000\n1000\nCapEff:\t0000000000000000\n");
    assertThat(sh("tvm-app2", "su -c id root </dev/null >/dev/null 2>&1 || echo no-su; unshare -r id 2>/dev/null || echo no-userns;"
        + " stat -c %u /usr/local/bin/tpl-hello")).isEqualTo("no-su\nno-userns\n65534\n");
    assertThatThrownBy(() -> root("tvm-app2", "id -u"))
        .isInstanceOf(QairException.class).hasMessageContaining("has no root user");
    assertThat(tvmRoot.resolve("usr/local/bin/tpl-hello")).hasContent("#!/bin/sh\necho hello from the template");
  }

  @Test
  void rootInTheTemplateVmHasOnlyItsFewCapabilitiesInsideItsOwnNamespaces() {
    start("tvm", "TemplateVM", "tvm");
    try {
      // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID NET_BIND_SERVICE SYS_CHROOT SETFCAP, nothing else
      assertThat(root("tvm", "grep -E 'Cap(Eff|Bnd)' /proc/self/status"))
          .isEqualTo("CapEff:\t00000000800404fb\nCapBnd:\t00000000800404fb\n");
      assertThat(root("tvm", "mount -t tmpfs x /mnt 2>/dev/null || echo no-mount; unshare -r true 2>/dev/null || echo no-userns;"
          + " unshare -m true 2>/dev/null || echo no-mountns; touch /tmp/f; chown 70000 /tmp/f 2>/dev/null || echo no-foreign-uid;"
          + " tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; ls /proc | grep -c '^[0-9]' | awk '{print ($1 < 10)}'"))
          .isEqualTo("no-mount\nno-userns\nno-mountns\nno-foreign-uid\nlo\n1\n");
      assertThat(root("tvm", "ls -A /run/qair; cat /run/qair/agent.sock 2>&1 | grep -c 'No such device or address'"))
          .as("the agent's socket directory is read-only and shows only the qube's own socket and tools")
          .contains("agent.sock").endsWith("1\n");
    } finally {
      backend.shutdown("tvm", Duration.ofSeconds(2));
    }
  }

  @Test
  void netHostIsForTemplateVmsOnly() {
    assertThatThrownBy(() -> backend.start(new QubeSpec("tvm-app", "AppVM", "tvm", "black", 256, 1, null, Map.of("net", "host"))))
        .isInstanceOf(QairException.class).hasMessageContaining("net=host is honoured only for TemplateVMs");
  }

  @Test
  void templateVmWithNetHostInstallsAPackageFromTheDebianMirror() {
    org.junit.jupiter.api.Assumptions.assumeTrue(mirrorReachable(), "deb.debian.org is not reachable from here");
    backend.start(new QubeSpec("tvm", "TemplateVM", "tvm", "black", 1024, 1, null, Map.of("net", "host")));
    try {
      assertThat(root("tvm", "apt-get -q update >/tmp/apt.log 2>&1 && apt-get install -y -q --no-install-recommends hello"
          + " >>/tmp/apt.log 2>&1 || tail -20 /tmp/apt.log; /usr/bin/hello"))
          .isEqualTo("Hello, world!\n");
    } finally {
      backend.shutdown("tvm", Duration.ofSeconds(2));
    }
    assertThat(tvmRoot.resolve("usr/bin/hello")).isRegularFile();
  }

  @Test
  void aTemplateVmFromBeforeUidRangesKeepsItsPrivateVolume() throws Exception {
    Path qubeDir = fixture.config.dataDir().resolve("qubes/tvm");
    Path privateDir = qubeDir.resolve("private");
    Files.createDirectories(privateDir);
    QubeUids uids = new QubeUids(Path.of(System.getProperty("qair.sandbox.uidClaims")));
    int legacy = uids.uidFor(qubeDir); // as an earlier agent gave every TemplateVM a qube uid
    Files.writeString(privateDir.resolve("notes"), "kept\n");
    for (Path p : List.of(privateDir, privateDir.resolve("notes"))) {
      Files.setAttribute(p, "unix:uid", legacy);
      Files.setAttribute(p, "unix:gid", legacy);
    }
    start("tvm", "TemplateVM", "tvm");
    try {
      int base = Integer.parseInt(Files.readString(tvmRoot.resolveSibling("uid-range")).trim());
      assertThat(sh("tvm", "cat ~/notes && echo more >> ~/notes && echo appended")).isEqualTo("kept\nappended\n");
      assertThat(hostUid(privateDir.resolve("notes"))).isEqualTo(base + 1000);
      assertThat(qubeDir.resolve("uid")).doesNotExist();
      assertThat(Path.of(System.getProperty("qair.sandbox.uidClaims"), Integer.toString(legacy))).doesNotExist();
    } finally {
      backend.shutdown("tvm", Duration.ofSeconds(2));
    }
  }
}
