package io.qair.agent.sandbox;

import io.qair.agent.guest.GuestSession;
import io.qair.agent.spi.Applicability;
import io.qair.agent.spi.CallChannel;
import io.qair.agent.spi.CallListener;
import io.qair.agent.spi.DisplayEndpoint;
import io.qair.agent.spi.BackendConfig;
import io.qair.agent.spi.ExecHandle;
import io.qair.agent.spi.ExecListener;
import io.qair.agent.spi.IsolationBackend;
import io.qair.agent.template.TemplateStore;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import io.qair.protocol.qrexec.ExitCodes;
import io.qair.protocol.qrexec.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sandbox} backend: every qube is a bubblewrap sandbox (see {@link BwrapCommand}) in
 * its own cgroups, under its own host uid, running the guest daemon as its main process.
 *
 * <p>Qubes survive an agent restart: {@link #recover()} re-adopts those still running (their guest
 * reconnects to the re-created socket) and cleans up the rest. {@link #close()} therefore leaves
 * qubes running; shut them down first when the zone itself goes away.
 *
 * <p>A qube has no network but {@code lo}; {@code netvm} is ignored for now. A TemplateVM with
 * feature {@code net=host} shares the host's network (to reach package mirrors): a trust decision
 * the user makes per template.
 *
 * <p>A TemplateVM has a root user: its user namespace maps the template's own range of host uids
 * (see {@link QubeUids#rangeFor}, {@link TemplateOwnership}), and an exec request with user
 * {@code root} runs as uid 0 there. Every other qube has uid 1000 only.
 */
public final class SandboxIsolationBackend implements IsolationBackend {
  static final int MAX_PIDS = 2048;
  static final int MIN_MEMORY_MB = 32;
  static final long START_TIMEOUT_MS = 15_000;
  static final long EXEC_TIMEOUT_MS = 30_000;
  static final long RECOVER_HELLO_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(SandboxIsolationBackend.class);
  private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\n"
      + "user:x:1000:1000:user:/home/user:/bin/sh\n"
      + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
  private static final String GROUP = "root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n";
  private static final String DISPOSABLE_MARK = "disposable";
  static final String NET_FEATURE = "net";
  static final int QUBE_USER = 1000;

  private final Map<String, SandboxQube> running = new ConcurrentHashMap<>();
  private final Map<String, QubeStatus> stopped = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final List<Consumer<QubeStatus>> listeners = new CopyOnWriteArrayList<>();
  private volatile CallListener calls;
  private final ExecutorService reaper = Executors.newCachedThreadPool(daemon("sandbox-reaper"));
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(daemon("sandbox-watchdog"));
  private BackendConfig config;
  private Path guestBinary;
  private SandboxLayout layout;
  private QubeUids uids;
  private TemplateStore templates;
  private QubeRoots roots;

  @Override
  public String name() {
    return "sandbox";
  }

  @Override
  public Applicability applicability() {
    return SandboxApplicability.check();
  }

  @Override
  public void init(BackendConfig config) {
    this.config = config;
    this.layout = new SandboxLayout(config.dataDir(), config.templatesDir());
    this.uids = new QubeUids(Path.of(System.getProperty("qair.sandbox.uidClaims", QubeUids.DEFAULT_CLAIMS.toString())));
    this.templates = TemplateStore.open(config.templatesDir());
    this.roots = new QubeRoots(layout, templates, uids);
    Names.requireZoneName(config.zone());
    this.guestBinary = SandboxLayout.guestBinary(config.guestBinary());
    if (!Files.isExecutable(guestBinary.resolveSibling("qair-sandbox"))) {
      throw QairException.unavailable("the sandbox launcher qair-sandbox is missing next to " + guestBinary
          + ": both are built by zone-agent (src/main/c)", null);
    }
    Volumes.agentDirectory(layout.qubesDir(), "rwx------");
    Volumes.agentDirectory(layout.runDir(), "rwx------");
    Volumes.agentDirectory(layout.runDir().resolve("sock"), "rwx------");
    GuestShare.build(layout.share(), guestBinary);
    try {
      Files.write(layout.seccomp(), SeccompFilter.qubePolicy());
      Files.writeString(layout.passwd(), PASSWD);
      Files.writeString(layout.group(), GROUP);
    } catch (IOException e) {
      throw QairException.unavailable("cannot write into " + layout.runDir() + ": " + e.getMessage(), e);
    }
    int longest = layout.socket("x".repeat(31)).toString().getBytes(StandardCharsets.UTF_8).length;
    if (longest > 107) {
      throw QairException.unavailable("the data directory " + config.dataDir() + " is too long for unix"
          + " socket paths (" + longest + " > 107 bytes): use a shorter path", null);
    }
    watchdog.scheduleWithFixedDelay(this::watch, 200, 200, TimeUnit.MILLISECONDS);
  }

  @Override
  public QubeStatus start(QubeSpec spec) {
    String name = Names.requireQubeName(spec == null ? null : spec.name());
    QubeClass klass = QubeClass.parse(spec.klass());
    if (spec.memoryMb() < MIN_MEMORY_MB || spec.vcpus() < 1 || spec.vcpus() > 1024) {
      throw QairException.badRequest("qube " + name + " needs memory >= " + MIN_MEMORY_MB + " MiB and 1-1024 vcpus");
    }
    synchronized (lock(name)) {
      if (running.containsKey(name)) {
        throw QairException.conflict("qube " + name + " is already running; shut it down first");
      }
      boolean hostNetwork = hostNetwork(spec, klass);
      Path root = roots.rootFor(name, klass, spec.template());
      Path qubeDir = layout.qubeDir(name);
      Volumes.agentDirectory(qubeDir, "rwx------");
      markDisposable(qubeDir, klass == QubeClass.DispVM);
      int rootUid = -1;
      int uid;
      if (klass == QubeClass.TemplateVM) {
        rootUid = TemplateOwnership.ensureOwned(root, uids);
        uid = rootUid + QUBE_USER;
        migrateLegacyUid(qubeDir, layout.privateDir(name), uid);
      } else {
        uid = uids.uidFor(qubeDir);
      }
      Path privateDir = null;
      if (klass != QubeClass.DispVM) {
        privateDir = layout.privateDir(name);
        Volumes.ownedDirectory(privateDir, uid);
      }
      Volumes.deleteTree(layout.socketDir(name));
      Volumes.agentDirectory(layout.socketDir(name), "rwxr-xr-x");
      GuestShare.linkInto(layout.share(), layout.socketDir(name));
      boolean gui = QubeDisplays.wanted(spec, klass);
      if (gui) {
        Volumes.ownedDirectory(layout.socketDir(name).resolve(QubeDisplays.DIR), uid);
      }
      CgroupV1 cgroup = CgroupV1.of(config.zone(), name);
      cgroup.killAll(2000); // leftovers of an unclean past, if any
      cgroup.create(spec.memoryMb() * 1024L * 1024L, spec.vcpus(), MAX_PIDS);
      SandboxQube q = new SandboxQube(name, klass, uid, cgroup);
      stopped.remove(name);
      running.put(name, q);
      emit(q.status());
      try {
        launch(q, root, privateDir, spec.memoryMb(), rootUid, hostNetwork);
      } catch (RuntimeException e) {
        q.crashReason = "could not start: " + e.getMessage();
        stop(q, Duration.ZERO);
        throw e;
      }
      q.state = QubeState.RUNNING;
      emit(q.status());
      if (gui) {
        startDisplay(q);
      }
      return q.status();
    }
  }

  /** Starts the qube's X server without delaying {@link #start}: windows come once it is up. */
  private void startDisplay(SandboxQube q) {
    try {
      q.session.exec(QubeDisplays.xvnc(q.name), QubeDisplays.logger(q.name), EXEC_TIMEOUT_MS);
    } catch (RuntimeException e) {
      LOG.warn("qube {}: its X server did not start: {}", q.name, e.getMessage());
    }
  }

  @Override
  public List<io.qair.protocol.agent.AppEntry> applications(String qube, String klass, String template) {
    String name = Names.requireQubeName(qube);
    QubeClass k = QubeClass.parse(klass);
    Path root = switch (k) {
      case TemplateVM -> templates.root(name);
      case AppVM, DispVM -> template == null ? null : templates.root(Names.requireQubeName(template));
      case StandaloneVM -> layout.standaloneRoot(name);
    };
    List<Path> dirs = new ArrayList<>();
    if (root != null) {
      dirs.add(root.resolve("usr/share/applications"));
    }
    if (k != QubeClass.DispVM) {
      dirs.add(layout.privateDir(name).resolve(".local/share/applications"));
    }
    return io.qair.agent.apps.DesktopEntries.read(dirs, layout.privateDir(name));
  }

  @Override
  public Optional<DisplayEndpoint> display(String qube) {
    String name = Names.requireQubeName(qube);
    SandboxQube q = running.get(name);
    if (q == null || q.state != QubeState.RUNNING) {
      status(name); // NOT_FOUND for an unknown qube
      throw QairException.conflict("qube " + name + " is not running; start it first");
    }
    Path dir = layout.socketDir(name).resolve(QubeDisplays.DIR);
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        ? Optional.of(QubeDisplays.endpoint(layout.socketDir(name))) : Optional.empty();
  }

  /** Feature {@code net=host}: honoured for a TemplateVM, refused for any other qube. */
  private static boolean hostNetwork(QubeSpec spec, QubeClass klass) {
    boolean host = spec.features() != null && "host".equals(spec.features().get(NET_FEATURE));
    if (host && klass != QubeClass.TemplateVM) {
      throw QairException.badRequest("qube " + spec.name() + " is a " + klass + ": feature net=host is honoured only"
          + " for TemplateVMs; remove it (qair qube features " + spec.name() + " rm " + NET_FEATURE + ")");
    }
    return host;
  }

  /**
   * A TemplateVM started before templates had uid ranges had a qube uid of its own: its private
   * volume goes to the range's user uid and the old uid is given back.
   */
  private void migrateLegacyUid(Path qubeDir, Path privateDir, int uid) {
    if (!Files.exists(qubeDir.resolve("uid"), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int old = uids.uidFor(qubeDir);
    if (Files.isDirectory(privateDir, LinkOption.NOFOLLOW_LINKS)) {
      Volumes.reownTree(privateDir, old, uid);
    }
    uids.release(qubeDir);
    try {
      Files.deleteIfExists(qubeDir.resolve("uid"));
    } catch (IOException e) {
      throw QairException.unavailable("cannot write into " + qubeDir + ": " + e.getMessage(), e);
    }
  }

  private void launch(SandboxQube q, Path root, Path privateDir, int memoryMb, int rootUid, boolean hostNetwork) {
    boolean writable = q.klass == QubeClass.TemplateVM || q.klass == QubeClass.StandaloneVM;
    SandboxPlan plan = new SandboxPlan(guestBinary.resolveSibling("qair-sandbox"), q.name, q.uid, root, writable, privateDir, layout.socketDir(q.name),
        guestBinary, layout.seccomp(), layout.passwd(), layout.group(), q.cgroup.procsFiles(),
        writable ? List.of() : QubeRoots.throwAwayDirs(root), rootUid, hostNetwork);
    q.session = GuestSession.listen(q.name, layout.socket(q.name), q.uid, () -> reaper.execute(() -> checkAlive(q)),
          this::call);
    ProcessBuilder pb = new ProcessBuilder(BwrapCommand.command(plan));
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw QairException.unavailable("cannot start the sandbox of " + q.name + ": " + e.getMessage(), e);
    }
    q.process = p;
    q.drainStderr(p.getErrorStream());
    q.record = new RuntimeRecord(q.name, q.klass.name(), q.uid, p.pid(), RuntimeRecord.startTicks(p.pid()),
        memoryMb, q.cgroup.oomKills());
    q.record.write(layout.record(q.name));
    p.onExit().thenRunAsync(() -> finish(q), reaper);
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (!q.session.awaitHello(20)) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        String err = q.stderrTail();
        throw QairException.unavailable("qube " + q.name + " did not start"
            + (err.isEmpty() ? " within " + START_TIMEOUT_MS + " ms" : ": " + err), null);
      }
    }
  }

  @Override
  public QubeStatus shutdown(String qube, Duration grace) {
    String name = Names.requireQubeName(qube);
    synchronized (lock(name)) {
      SandboxQube q = running.get(name);
      if (q == null) {
        return status(name);
      }
      return stop(q, grace);
    }
  }

  /** SIGTERM to the qube's processes, SIGKILL (frozen) after {@code grace}; waits for cleanup. */
  private QubeStatus stop(SandboxQube q, Duration grace) {
    if (q.state != QubeState.HALTING) {
      q.state = QubeState.HALTING;
      emit(q.status());
    }
    long outer = q.record == null ? -1 : q.record.pid();
    q.cgroup.terminate(outer);
    if (!awaitGone(q, grace.toMillis())) {
      q.cgroup.killAll(5000);
      if (q.process != null) {
        q.process.destroyForcibly();
      }
      if (!awaitGone(q, 10_000)) {
        throw QairException.unavailable("qube " + q.name + " did not stop; see the agent log", null);
      }
    }
    return q.gone.join();
  }

  private boolean awaitGone(SandboxQube q, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    long step = 1;
    while (true) {
      if (q.process == null) {
        checkAlive(q);
      }
      try {
        q.gone.get(step, TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        step = Math.min(step * 2, 20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        return true;
      }
    }
  }

  /** For qubes the agent is not the parent of, and after the guest hung up: is it still there? */
  private void checkAlive(SandboxQube q) {
    Process p = q.process;
    boolean alive = p != null ? p.isAlive() : q.record != null && q.record.alive();
    if (!alive && p == null) {
      finish(q);
    }
  }

  /** The qube's outer process is gone: decide HALTED or CRASHED, clean up, report. Runs once. */
  private void finish(SandboxQube q) {
    if (!q.finishing.compareAndSet(false, true)) {
      return;
    }
    String reason = q.crashReason;
    if (reason == null && q.record != null && q.cgroup.oomKills() > q.record.oomKills()) {
      reason = oomReason(q);
    }
    if (reason == null && q.state != QubeState.HALTING && q.process != null && q.process.exitValue() != 0) {
      reason = "its main process exited with status " + q.process.exitValue()
          + (q.stderrTail().isEmpty() ? "" : ": " + q.stderrTail());
    }
    if (reason == null && q.state != QubeState.HALTING && q.process == null) {
      reason = "it stopped on its own";
    }
    cleanup(q);
    QubeStatus status = new QubeStatus(q.name, (reason == null ? QubeState.HALTED : QubeState.CRASHED).name(), reason);
    q.state = QubeState.valueOf(status.state());
    if (q.klass == QubeClass.DispVM) {
      removeQubeDir(q.name);
    } else {
      stopped.put(q.name, status);
    }
    running.remove(q.name, q);
    emit(status);
    q.gone.complete(status);
  }

  private String oomReason(SandboxQube q) {
    return "out of memory: it used more than its " + q.record.memoryMb() + " MiB and was killed";
  }

  private void cleanup(SandboxQube q) {
    try {
      q.cgroup.killAll(5000);
      q.cgroup.remove();
      if (q.session != null) {
        q.session.close();
      }
      Volumes.deleteTree(layout.socketDir(q.name));
      Files.deleteIfExists(layout.record(q.name));
    } catch (IOException | RuntimeException e) {
      LOG.warn("qube {}: cleanup incomplete: {}", q.name, e.toString());
    }
  }

  /** Every 200 ms: kill qubes whose memory limit hit, notice re-adopted qubes that died. */
  private void watch() {
    for (SandboxQube q : running.values()) {
      try {
        if (q.state == QubeState.RUNNING && q.record != null && q.crashReason == null
            && q.cgroup.oomKills() > q.record.oomKills()) {
          q.crashReason = oomReason(q);
          LOG.info("qube {}: {}", q.name, q.crashReason);
          reaper.execute(() -> {
            q.cgroup.killAll(5000);
            checkAlive(q);
          });
        } else if (q.process == null && q.state == QubeState.RUNNING) {
          checkAlive(q);
        }
      } catch (RuntimeException e) {
        LOG.warn("watchdog: qube {}: {}", q.name, e.toString());
      }
    }
  }

  @Override
  public QubeStatus status(String qube) {
    String name = Names.requireQubeName(qube);
    SandboxQube q = running.get(name);
    if (q != null) {
      return q.status();
    }
    QubeStatus s = stopped.get(name);
    if (s != null) {
      return s;
    }
    if (Files.isDirectory(layout.qubeDir(name), LinkOption.NOFOLLOW_LINKS)) {
      return new QubeStatus(name, QubeState.HALTED.name(), null);
    }
    throw QairException.notFound("qube " + name + " is not known in zone " + config.zone());
  }

  @Override
  public List<QubeStatus> list() {
    Map<String, QubeStatus> all = new TreeMap<>();
    try (Stream<Path> s = Files.list(layout.qubesDir())) {
      s.map(p -> p.getFileName().toString()).filter(Names::isValidQubeName)
          .forEach(n -> all.put(n, new QubeStatus(n, QubeState.HALTED.name(), null)));
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", layout.qubesDir(), e.toString());
    }
    all.putAll(stopped);
    running.values().forEach(q -> all.put(q.name, q.status()));
    return new ArrayList<>(all.values());
  }

  @Override
  public void removeVolumes(String qube) {
    String name = Names.requireQubeName(qube);
    synchronized (lock(name)) {
      if (running.containsKey(name)) {
        throw QairException.conflict("qube " + name + " is running; shut it down before removing it");
      }
      removeQubeDir(name);
      stopped.remove(name);
    }
  }

  private void removeQubeDir(String name) {
    Path dir = layout.qubeDir(name);
    uids.release(dir);
    Volumes.deleteTree(dir);
  }

  @Override
  public ExecHandle exec(String qube, ExecRequest request, ExecListener listener) {
    String name = Names.requireQubeName(qube);
    SandboxQube q = running.get(name);
    if (q == null || q.state != QubeState.RUNNING) {
      status(name); // NOT_FOUND for an unknown qube
      throw QairException.conflict("qube " + name + " is not running; start it first");
    }
    if (request != null && request.asRoot() && q.klass != QubeClass.TemplateVM) {
      throw QairException.conflict("qube " + name + " is a " + q.klass + " and has no root user: only a TemplateVM"
          + " does; install software in its template (qair run TEMPLATE --user root -- ...)");
    }
    return q.session.exec(request, listener, EXEC_TIMEOUT_MS);
  }

  @Override
  public List<QubeStatus> recover() {
    List<QubeStatus> adopted = new ArrayList<>();
    try (Stream<Path> s = Files.list(layout.runDir())) {
      for (Path file : s.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        Optional<RuntimeRecord> rec = RuntimeRecord.read(file);
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (rec.isEmpty() || !rec.get().name().equals(name) || !Names.isValidQubeName(name)) {
          Files.deleteIfExists(file);
          continue;
        }
        synchronized (lock(name)) {
          if (!running.containsKey(name)) {
            readopt(rec.get()).ifPresent(adopted::add);
          }
        }
      }
      for (String name : CgroupV1.existing(config.zone())) {
        if (!running.containsKey(name)) {
          CgroupV1 c = CgroupV1.of(config.zone(), name);
          c.killAll(5000);
          c.remove();
        }
      }
      try (Stream<Path> socks = Files.list(layout.runDir().resolve("sock"))) {
        socks.filter(p -> !running.containsKey(p.getFileName().toString())).forEach(Volumes::deleteTree);
      }
      try (Stream<Path> qubes = Files.list(layout.qubesDir())) {
        qubes.filter(p -> Files.exists(p.resolve(DISPOSABLE_MARK)) && !running.containsKey(p.getFileName().toString()))
            .forEach(p -> removeQubeDir(p.getFileName().toString()));
      }
    } catch (IOException e) {
      throw QairException.unavailable("cannot recover qubes from " + layout.runDir() + ": " + e.getMessage(), e);
    }
    return adopted;
  }

  private Optional<QubeStatus> readopt(RuntimeRecord rec) {
    QubeClass klass = QubeClass.parse(rec.klass());
    SandboxQube q = new SandboxQube(rec.name(), klass, rec.uid(), CgroupV1.of(config.zone(), rec.name()));
    q.record = rec;
    running.put(q.name, q);
    if (rec.alive() && Files.isDirectory(layout.socketDir(q.name))) {
      q.session = GuestSession.listen(q.name, layout.socket(q.name), q.uid, () -> reaper.execute(() -> checkAlive(q)),
          this::call);
      if (q.session.awaitHello(RECOVER_HELLO_MS)) {
        q.state = QubeState.RUNNING;
        LOG.info("qube {}: re-adopted (pid {})", q.name, rec.pid());
        emit(q.status());
        return Optional.of(q.status());
      }
      LOG.warn("qube {}: still running but its guest did not reconnect; stopping it", q.name);
    }
    q.crashReason = "it stopped while the agent was not running";
    q.cgroup.killAll(5000);
    finish(q);
    return Optional.empty();
  }

  @Override
  public List<TemplateInfo> templates() {
    return templates.list();
  }

  @Override
  public void onStateChange(Consumer<QubeStatus> listener) {
    listeners.add(listener);
  }

  @Override
  public void onCall(CallListener listener) {
    this.calls = listener;
  }

  private void call(String source, byte[] untrustedRequest, CallChannel channel) {
    CallListener l = calls;
    if (l == null) {
      try {
        channel.send(Frame.error("qrexec is not available in this zone"));
        channel.send(Frame.exit(ExitCodes.REFUSED));
      } catch (IOException e) {
        // the caller is gone
      }
      return;
    }
    l.onCall(source, untrustedRequest, channel);
  }

  /** Stops watching; running qubes keep running and are re-adopted by the next {@link #recover()}. */
  @Override
  public void close() {
    watchdog.shutdownNow();
    for (SandboxQube q : running.values()) {
      if (q.session != null) {
        q.session.close();
      }
    }
    reaper.shutdown();
  }



  private void markDisposable(Path qubeDir, boolean disposable) {
    try {
      if (disposable) {
        Files.writeString(qubeDir.resolve(DISPOSABLE_MARK), "");
      } else {
        Files.deleteIfExists(qubeDir.resolve(DISPOSABLE_MARK));
      }
    } catch (IOException e) {
      throw QairException.unavailable("cannot write into " + qubeDir + ": " + e.getMessage(), e);
    }
  }

  private void emit(QubeStatus status) {
    for (Consumer<QubeStatus> l : listeners) {
      try {
        l.accept(status);
      } catch (RuntimeException e) {
        LOG.warn("state listener failed", e);
      }
    }
  }

  private Object lock(String name) {
    return locks.computeIfAbsent(name, n -> new Object());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
