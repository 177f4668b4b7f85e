package io.qair.agent.qrexec;

import io.qair.agent.spi.CallChannel;
import io.qair.agent.spi.CallListener;
import io.qair.agent.spi.ExecHandle;
import io.qair.agent.spi.ExecListener;
import io.qair.agent.spi.IsolationBackend;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.QrexecMessage;
import io.qair.protocol.qrexec.ExitCodes;
import io.qair.protocol.qrexec.Frame;
import io.qair.protocol.qrexec.FrameType;
import io.qair.protocol.qrexec.ServiceCall;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zone's qrexec daemon: every call a qube makes comes here, with its source known from the
 * socket it came on. The call is checked (form, bounds), the master decides (never cached here:
 * one question per call), and only an allowed call starts the service in the target, through the
 * backend's exec with {@code /run/qair/bin/qubes-rpc-multiplexer SERVICE[+ARG]}. Then the two ends
 * are joined: the caller's STDIN to the service's stdin, the service's stdout and stderr to the
 * caller's STDOUT and STDERR, and its exit code to the caller. Refused: ERROR (why) and EXIT 126;
 * the service never starts. No such service: 127 (from the multiplexer).
 */
public final class QrexecDaemon implements CallListener {
  /** How long a call waits for the master (an {@code ask} waits up to 60 s, a disposable starts). */
  static final long DECISION_TIMEOUT_MS = 150_000;
  static final int MAX_CALLS_PER_SOURCE = 1024;
  static final int MAX_CALLS = 4096;
  private static final Logger LOG = LoggerFactory.getLogger(QrexecDaemon.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final IsolationBackend backend;
  private final CallDecisions master;
  private final RelayedCalls relays;
  private final long decisionTimeoutMs;
  private final Semaphore all = new Semaphore(MAX_CALLS);
  private final Map<String, AtomicInteger> perSource = new ConcurrentHashMap<>();

  public QrexecDaemon(IsolationBackend backend, MasterLink master, RelayedCalls relays) {
    this(backend, master, relays, DECISION_TIMEOUT_MS);
  }

  QrexecDaemon(IsolationBackend backend, CallDecisions master, RelayedCalls relays, long decisionTimeoutMs) {
    this.backend = backend;
    this.master = master;
    this.relays = relays;
    this.decisionTimeoutMs = decisionTimeoutMs;
  }

  @Override
  public void onCall(String source, byte[] untrustedRequest, CallChannel channel) {
    Optional<CallRequest> parsed = CallRequest.parse(untrustedRequest);
    if (parsed.isEmpty()) {
      refuse(channel, "malformed call: expected TARGET and SERVICE[+ARGUMENT]");
      return;
    }
    AtomicInteger mine = perSource.computeIfAbsent(source, s -> new AtomicInteger());
    if (!all.tryAcquire()) {
      refuse(channel, "too many calls in this zone; try again");
      return;
    }
    try {
      if (mine.incrementAndGet() > MAX_CALLS_PER_SOURCE) {
        refuse(channel, "too many calls from " + source + "; try again");
        return;
      }
      call(source, parsed.get(), channel);
    } finally {
      mine.decrementAndGet();
      all.release();
    }
  }

  private void call(String source, CallRequest r, CallChannel channel) {
    String id = newId();
    relays.expect(id); // the master may open the call's data socket before its decision arrives
    QrexecMessage decision = decide(id, source, r);
    if (!decision.relayed()) {
      relays.forget(id);
    }
    if (!Boolean.TRUE.equals(decision.allow())) {
      LOG.info("qrexec {} -> {} {}: refused: {}", source, r.target(), r.call(), decision.reason());
      refuse(channel, "request refused: " + (decision.reason() == null ? "denied" : decision.reason()));
      master.ended(id, ExitCodes.REFUSED);
      return;
    }
    int code = ExitCodes.REFUSED;
    try {
      if (QrexecMessage.MASTER.equals(decision.target())) {
        code = answered(decision, channel);
      } else if (decision.relayed()) {
        LOG.debug("qrexec {} -> {} {}: relayed by the master", source, decision.target(), r.call());
        code = relays.relay(id, decision.target(), channel);
      } else {
        code = run(source, r, decision, channel);
      }
    } finally {
      master.ended(id, code);
    }
  }

  private QrexecMessage decide(String id, String source, CallRequest r) {
    CompletableFuture<QrexecMessage> answer =
        master.ask(QrexecMessage.call(id, source, r.target(), r.service(), r.argument()));
    try {
      QrexecMessage d = answer.get(decisionTimeoutMs, TimeUnit.MILLISECONDS);
      if (Boolean.TRUE.equals(d.allow()) && QrexecMessage.MASTER.equals(d.target())) {
        return d.output() == null || d.exitCode() == null ? QrexecMessage.deny(id, "the master sent no answer") : d;
      }
      if (Boolean.TRUE.equals(d.allow()) && (d.target() == null || !Names.isValidQubeName(d.target()))) {
        return QrexecMessage.deny(id, "the master named no valid target");
      }
      return d;
    } catch (TimeoutException e) {
      master.forget(id);
      return QrexecMessage.deny(id, "no decision within " + decisionTimeoutMs / 1000 + " s");
    } catch (ExecutionException e) {
      return QrexecMessage.deny(id, "the master could not decide");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return QrexecMessage.deny(id, "interrupted");
    }
  }

  /** Runs the allowed service in the target and joins it to the caller; returns its exit code. */
  private int run(String source, CallRequest r, QrexecMessage decision, CallChannel channel) {
    if (decision.user() != null && !decision.user().equals("user")) {
      refuse(channel, "user=" + Names.printable(decision.user()) + " is not supported: services run as 'user'");
      return ExitCodes.REFUSED;
    }
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    ExecHandle handle;
    try {
      handle = backend.exec(decision.target(), new ServiceCall(source, r.target(), r.service(), r.argument()).exec(),
          new ToCaller(channel, exit));
    } catch (QairException e) {
      refuse(channel, "the target could not run the service: " + e.getMessage());
      return ExitCodes.REFUSED;
    }
    LOG.debug("qrexec {} -> {} {}: running", source, decision.target(), r.call());
    pumpStdin(channel, handle, exit);
    try {
      return exit.get();
    } catch (ExecutionException e) {
      return ExitCodes.REFUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handle.kill();
      return ExitCodes.REFUSED;
    }
  }

  /** A service the master ran itself: its output and exit code, as if a qube had sent them. */
  private static int answered(QrexecMessage decision, CallChannel channel) {
    byte[] out = decision.output();
    try {
      for (int off = 0; off < out.length; off += Frame.MAX_PAYLOAD) {
        channel.send(Frame.of(FrameType.STDOUT, out, off, Math.min(Frame.MAX_PAYLOAD, out.length - off)));
      }
      channel.send(Frame.eof(FrameType.STDOUT));
      channel.send(Frame.eof(FrameType.STDERR));
      channel.send(Frame.exit(decision.exitCode()));
    } catch (IOException e) {
      // the caller is gone
    }
    return decision.exitCode();
  }

  /** Caller's STDIN frames to the service until EOF; the caller hanging up kills the service. */
  private static void pumpStdin(CallChannel channel, ExecHandle handle, CompletableFuture<Integer> exit) {
    try {
      for (Optional<Frame> f = channel.read(); f.isPresent(); f = channel.read()) {
        Frame frame = f.get();
        if (frame.type() != FrameType.STDIN) {
          continue; // nothing else is meaningful from a caller
        }
        if (frame.isEof()) {
          handle.closeStdin();
        } else {
          handle.stdin(frame.payload());
        }
      }
      if (!exit.isDone()) {
        handle.kill(); // the caller hung up
      }
    } catch (IOException | RuntimeException e) {
      if (!exit.isDone()) {
        handle.kill();
      }
    }
  }

  private static void refuse(CallChannel channel, String why) {
    try {
      channel.send(Frame.error(why));
      channel.send(Frame.exit(ExitCodes.REFUSED));
    } catch (IOException e) {
      // the caller is gone
    }
  }

  private static String newId() {
    byte[] b = new byte[9];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The service's output and exit, to the caller. */
  private static final class ToCaller implements ExecListener {
    private final CallChannel channel;
    private final CompletableFuture<Integer> exit;
    private volatile boolean gone;

    ToCaller(CallChannel channel, CompletableFuture<Integer> exit) {
      this.channel = channel;
      this.exit = exit;
    }

    private void send(Frame f) {
      if (gone) {
        return;
      }
      try {
        channel.send(f);
      } catch (IOException e) {
        gone = true; // the caller went away; the pump kills the service
      }
    }

    @Override
    public void onStdout(byte[] data) {
      send(new Frame(FrameType.STDOUT, data));
    }

    @Override
    public void onStderr(byte[] data) {
      send(new Frame(FrameType.STDERR, data));
    }

    @Override
    public void onEof(boolean stderr) {
      send(Frame.eof(stderr ? FrameType.STDERR : FrameType.STDOUT));
    }

    @Override
    public void onExit(int exitCode) {
      send(Frame.exit(exitCode));
      channel.close(); // ends the pump's read
      exit.complete(exitCode);
    }
  }
}
