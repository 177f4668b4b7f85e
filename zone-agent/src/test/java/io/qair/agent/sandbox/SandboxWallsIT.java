package io.qair.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.agent.spi.ExecHandle;
import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a qube must not be able to do, tried for real from inside sandboxes. */
class SandboxWallsIT {
  private static SandboxFixture fixture;
  private static SandboxIsolationBackend backend;
  private final List<String> started = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    fixture = new SandboxFixture();
    backend = fixture.newBackend();
  }

  @AfterAll
  static void tearDown() throws Exception {
    backend.close();
    fixture.close();
  }

  @AfterEach
  void stopAll() {
    for (String q : started) {
      try {
        backend.shutdown(q, Duration.ofSeconds(2));
        backend.removeVolumes(q);
      } catch (RuntimeException e) {
        // gone already
      }
    }
  }

  private void start(String name, String klass, int memoryMb) {
    started.add(name);
    backend.start(new QubeSpec(name, klass, SandboxFixture.TEMPLATE, "red", memoryMb, 1, null, Map.of()));
  }

  private void start(String name) {
    start(name, "AppVM", 256);
  }

  private RecordingListener sh(String qube, String script) {
    RecordingListener l = new RecordingListener();
    backend.exec(qube, new ExecRequest(List.of("sh", "-c", script), Map.of()), l).closeStdin();
    l.exitCode();
    return l;
  }

  private int uidOf(String qube) throws IOException {
    return Integer.parseInt(Files.readString(fixture.config.dataDir().resolve("qubes").resolve(qube).resolve("uid")).trim());
  }

  @Test
  void qubeCannotReadAnotherQubesPrivateVolumeEvenOutsideItsNamespaces() throws Exception {
    start("w-alice");
    start("w-bob");
    assertThat(sh("w-alice", "echo alice-secret > ~/secret; chmod 644 ~/secret").exitCode()).isZero();
    RecordingListener search = sh("w-bob", "grep -rs alice-secret / --exclude-dir=proc --exclude-dir=sys | head -1; echo done");
    assertThat(search.stdout()).isEqualTo("done\n");
    Path alicePrivate = fixture.config.dataDir().resolve("qubes/w-alice/private");
    assertThat(uidOf("w-alice")).isNotEqualTo(uidOf("w-bob"));
    assertThat(Files.getAttribute(alicePrivate, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(uidOf("w-alice"));
    assertThat(Files.getAttribute(alicePrivate, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(040700);
    // even on the host, bob's uid cannot open alice's volume
    Process p = new ProcessBuilder("setpriv", "--reuid=" + uidOf("w-bob"), "--regid=" + uidOf("w-bob"),
        "--clear-groups", "cat", alicePrivate.resolve("secret").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isNotZero();
    assertThat(out).contains("Permission denied").doesNotContain("alice-secret");
  }

  @Test
  void qubeCannotReadHostFilesOutsideItsTemplate() throws Exception {
    Path secretDir = Files.createDirectories(Path.of("/var/lib/qair-walls-test"));
    Path secret = secretDir.resolve("host-secret");
    Path rootSecret = Path.of("/root/qair-walls-host-secret");
    Files.writeString(secret, "host-secret-value\n");
    Files.writeString(rootSecret, "host-secret-value\n");
    try {
      start("w-host");
      RecordingListener l = sh("w-host", "cat /var/lib/qair-walls-test/host-secret /root/qair-walls-host-secret;"
          + " ls /var/lib/qair-walls-test; grep -rs host-secret-value /root /var /etc /tmp /run /home | head -1; echo end");
      assertThat(l.stdout()).isEqualTo("end\n");
      assertThat(l.stderr()).contains("No such file or directory");
    } finally {
      Files.deleteIfExists(secret);
      Files.deleteIfExists(rootSecret);
      Files.deleteIfExists(secretDir);
    }
  }

  @Test
  void qubeSeesOnlyItsOwnProcessesAndOnlyLoopback() {
    start("w-procs");
    start("w-other");
    ExecHandle sleeper = backend.exec("w-other", new ExecRequest(List.of("sleep", "4242"), Map.of()), new RecordingListener());
    try {
      RecordingListener l = sh("w-procs", "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done");
      assertThat(l.stdout()).doesNotContain("4242").doesNotContain("java").contains("qair-guest");
      assertThat(l.stdout().lines().filter(s -> !s.isBlank()).count()).isLessThan(10);
      RecordingListener net = sh("w-procs", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
      assertThat(net.stdout()).isEqualTo("lo\n");
    } finally {
      sleeper.kill();
    }
  }

  @Test
  void commandsInheritNoDescriptorsButTheirPipes() {
    start("w-fds");
    RecordingListener l = sh("w-fds", "ls /proc/self/fd | sort -n | tr '\\n' ' '");
    assertThat(l.stdout()).isEqualTo("0 1 2 3 "); // 3 is the directory ls itself reads
    RecordingListener guest = sh("w-fds", "ls -l /proc/[0-9]*/fd/ 2>/dev/null | grep -c -e qair -e '/tmp/.qair' -e passwd");
    assertThat(guest.stdout().trim()).isEqualTo("0");
  }

  @Test
  void qubeRunsWithoutPrivilegesAndCannotWriteItsRoot() {
    start("w-priv");
    RecordingListener l = sh("w-priv", "id -u; grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status | tr -d '\\t';"
        + " touch /usr/x /etc/x /x 2>&1 | wc -l; echo ok > /tmp/t && echo tmp-writable");
    assertThat(l.stdout()).isEqualTo("1000\nCapPrm:0000000000000000\nCapEff:0000000000000000\n"
        + "CapBnd:0000000000000000\n3\ntmp-writable\n");
  }

  @Test
  void qubeCannotReachHostLoopbackPortsOrHostUnixSockets() throws Exception {
    Path sock = Path.of("/tmp/qair-walls-" + ProcessHandle.current().pid() + ".sock");
    try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      unix.bind(UnixDomainSocketAddress.of(sock));
      start("w-net");
      RecordingListener l = sh("w-net", "bash -c 'echo hi > /dev/tcp/127.0.0.1/" + tcp.getLocalPort()
          + "' && echo tcp-connected; test -e " + sock + " && echo unix-visible; echo end");
      assertThat(l.stdout()).isEqualTo("end\n");
      assertThat(l.stderr()).contains("Connection refused");
    } finally {
      Files.deleteIfExists(sock);
    }
  }

  @Test
  void disposableLeavesNoFilesProcessesMountsOrCgroups() throws Exception {
    String mountsBefore = Files.readString(Path.of("/proc/self/mountinfo"));
    start("w-disp", "DispVM", 256);
    int uid = uidOf("w-disp");
    assertThat(sh("w-disp", "echo data > ~/f; sleep 1000 >/dev/null 2>&1 & echo started").stdout()).isEqualTo("started\n");
    assertThat(processesOf(uid)).isNotEmpty();
    backend.shutdown("w-disp", Duration.ofSeconds(2));
    awaitTrue(() -> processesOf(uid).isEmpty()); // zombies are reaped by the host's init a moment later
    assertThat(fixture.config.dataDir().resolve("qubes/w-disp")).doesNotExist();
    assertThat(fixture.config.dataDir().resolve("run/sock/w-disp")).doesNotExist();
    assertThat(fixture.config.dataDir().resolve("run/w-disp.json")).doesNotExist();
    for (String c : CgroupV1.CONTROLLERS) {
      assertThat(CgroupV1.zoneDir(c, fixture.config.zone()).resolve("w-disp")).doesNotExist();
    }
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).isEqualTo(mountsBefore).doesNotContain("qair-stage");
  }

  @Test
  void memoryLimitKillsTheGreedyQubeOnly() throws Exception {
    start("w-greedy", "AppVM", 64);
    start("w-calm");
    List<QubeStatus> events = new CopyOnWriteArrayList<>();
    backend.onStateChange(events::add);
    RecordingListener l = sh("w-greedy", "dd if=/dev/zero of=/dev/null bs=200M count=1");
    assertThat(l.exitCode()).isEqualTo(137);
    awaitState("w-greedy", "CRASHED");
    assertThat(backend.status("w-greedy").reason()).contains("out of memory");
    assertThat(events).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo("w-greedy");
      assertThat(e.state()).isEqualTo("CRASHED");
    });
    assertThat(sh("w-calm", "echo alive").stdout()).isEqualTo("alive\n");
    for (String c : CgroupV1.CONTROLLERS) {
      assertThat(CgroupV1.zoneDir(c, fixture.config.zone()).resolve("w-greedy")).doesNotExist();
    }
  }

  @Test
  void cgroupLimitsFollowTheSpecAndHoldEveryProcess() throws Exception {
    started.add("w-limits");
    backend.start(new QubeSpec("w-limits", "AppVM", SandboxFixture.TEMPLATE, "red", 300, 2, null, Map.of()));
    String zone = fixture.config.zone();
    Path memory = CgroupV1.zoneDir("memory", zone).resolve("w-limits");
    assertThat(memory.resolve("memory.limit_in_bytes")).hasContent(Long.toString(300L << 20));
    assertThat(memory.resolve("memory.memsw.limit_in_bytes")).hasContent(Long.toString(300L << 20));
    assertThat(CgroupV1.zoneDir("pids", zone).resolve("w-limits/pids.max")).hasContent(Integer.toString(SandboxIsolationBackend.MAX_PIDS));
    assertThat(CgroupV1.zoneDir("cpu", zone).resolve("w-limits/cpu.cfs_quota_us")).hasContent("200000");
    assertThat(CgroupV1.zoneDir("cpu", zone).resolve("w-limits/cpu.cfs_period_us")).hasContent("100000");
    RecordingListener l = sh("w-limits", "sleep 30 >/dev/null 2>&1 & echo $!; grep -E ':(memory|pids):' /proc/self/cgroup");
    assertThat(l.stdout()).as("a private cgroup namespace: the qube sees itself at the root").contains(":memory:/\n")
        .contains(":pids:/\n");
    List<Long> inMemory = CgroupV1.readPids(memory.resolve("cgroup.procs")).stream().toList();
    assertThat(inMemory).containsAll(processesOf(uidOf("w-limits")));
    assertThat(inMemory.size()).isGreaterThanOrEqualTo(4); // outer bwrap, init, guest, sleep
  }

  @Test
  void pidsLimitBoundsAForkBomb() throws Exception {
    start("w-bomb");
    start("w-bystander");
    Path bombBinary = compileInto("w-bomb", "fork-bomb");
    RecordingListener bomb = new RecordingListener();
    ExecHandle h = backend.exec("w-bomb", new ExecRequest(List.of("./" + bombBinary.getFileName(), Integer.toString(SandboxIsolationBackend.MAX_PIDS + 500)), Map.of()), bomb);
    h.closeStdin();
    Path pidsCurrent = CgroupV1.zoneDir("pids", fixture.config.zone()).resolve("w-bomb/pids.current");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!bomb.stdout().contains("spawned") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(bomb.stdout()).containsPattern("spawned \\d+ failed [1-9]");
    assertThat(Long.parseLong(Files.readString(pidsCurrent).trim())).isBetween(SandboxIsolationBackend.MAX_PIDS * 3L / 4, (long) SandboxIsolationBackend.MAX_PIDS);
    assertThat(sh("w-bystander", "echo fine").stdout()).isEqualTo("fine\n");
    h.kill();
    assertThat(bomb.exitCode()).isEqualTo(137);
    awaitTrue(() -> Long.parseLong(Files.readString(pidsCurrent).trim()) < 10);
    assertThat(sh("w-bomb", "echo recovered").stdout()).isEqualTo("recovered\n");
  }

  @Test
  void seccompDeniesDangerousSystemCalls() throws Exception {
    start("w-seccomp");
    compileInto("w-seccomp", "seccomp-probe");
    RecordingListener l = sh("w-seccomp", "./seccomp-probe; unshare -U true; echo unshare=$?");
    Map<String, Integer> errnos = new HashMap<>();
    l.stdout().lines().filter(s -> s.matches("\\w+ \\d+")).forEach(s -> errnos.put(s.split(" ")[0], Integer.parseInt(s.split(" ")[1])));
    for (String denied : List.of("keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
        "unshare_user", "clone_user", "mount", "ptrace")) {
      assertThat(errnos).as(denied).containsEntry(denied, 1);
    }
    assertThat(errnos).containsEntry("getpid", 0).containsEntry("fork", 0);
    assertThat(l.stdout()).contains("unshare=1");
    assertThat(l.stderr()).contains("Operation not permitted");
  }

  /** Compiles {@code src/test/c/NAME.c} statically into the qube's home; returns the host path. */
  private Path compileInto(String qube, String name) throws Exception {
    Path out = fixture.config.dataDir().resolve("qubes").resolve(qube).resolve("private").resolve(name);
    Process gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", out.toString(), "src/test/c/" + name + ".c")
        .redirectErrorStream(true).start();
    String msg = new String(gcc.getInputStream().readAllBytes());
    assertThat(gcc.waitFor()).as(msg).isZero();
    Files.setAttribute(out, "unix:uid", uidOf(qube));
    return out;
  }

  private static List<Long> processesOf(int uid) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          List<String> status = Files.readAllLines(p.resolve("status"));
          boolean zombie = status.stream().anyMatch(line -> line.startsWith("State:") && line.contains("Z"));
          for (String line : status) {
            if (!zombie && line.startsWith("Uid:") && line.split("\\s+")[1].equals(Integer.toString(uid))) {
              pids.add(Long.parseLong(p.getFileName().toString()));
            }
          }
        } catch (IOException e) {
          // exited meanwhile
        }
      }
    }
    return pids;
  }

  private static void awaitState(String qube, String state) throws InterruptedException {
    awaitTrue(() -> {
      try {
        return backend.status(qube).state().equals(state);
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitTrue(Check c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (c.ok()) {
          return;
        }
      } catch (Exception e) {
        // not yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("condition not met in 20 s");
  }

  @Test
  void templateVmOnALinkedTemplateRootIsRefusedAndTheSharedTemplateIsUntouched() throws Exception {
    Path root = fixture.config.templatesDir().resolve(SandboxFixture.TEMPLATE).resolve("root");
    int ownerBefore = (Integer) Files.getAttribute(root.toRealPath(), "unix:uid");
    started.add(SandboxFixture.TEMPLATE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.start(new QubeSpec(SandboxFixture.TEMPLATE, "TemplateVM",
            SandboxFixture.TEMPLATE, "black", 256, 1, null, Map.of())))
        .hasMessageContaining("needs a root directory of its own");
    assertThat(Files.getAttribute(root.toRealPath(), "unix:uid")).isEqualTo(ownerBefore);
  }
}
