package io.qair.agent.server;

import io.qair.agent.spi.Applicability;
import io.qair.agent.spi.BackendConfig;
import io.qair.agent.spi.ExecHandle;
import io.qair.agent.spi.ExecListener;
import io.qair.agent.spi.IsolationBackend;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory isolation backend for tests. Qubes are entries in a map; {@code exec} runs a
 * pretend command on its own thread that echoes stdin to stdout and exits with the code given as
 * its last argument (default 0). Its stdin holds only a few chunks, so a writer blocks when the
 * "command" is slow, like a real pipe. The template {@code broken} fails to start.
 */
public class FakeIsolationBackend implements IsolationBackend {
  private final Map<String, QubeStatus> qubes = new ConcurrentHashMap<>();
  private final List<Consumer<QubeStatus>> listeners = new CopyOnWriteArrayList<>();
  /** Milliseconds the pretend command sleeps per stdin chunk (to exercise back-pressure). */
  public volatile long readDelayMillis;
  public volatile boolean closed;

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Applicability applicability() {
    return Applicability.yes();
  }

  @Override
  public void init(BackendConfig config) {}

  @Override
  public List<QubeStatus> recover() {
    return list();
  }

  @Override
  public QubeStatus start(QubeSpec spec) {
    if ("broken".equals(spec.template())) {
      throw QairException.unavailable("template 'broken' cannot start", null);
    }
    QubeStatus running = new QubeStatus(spec.name(), QubeState.RUNNING.name(), null);
    QubeStatus prev = qubes.putIfAbsent(spec.name(), running);
    if (prev != null && prev.state().equals(QubeState.RUNNING.name())) {
      throw QairException.conflict("qube '" + spec.name() + "' is already running");
    }
    qubes.put(spec.name(), running);
    return running;
  }

  @Override
  public QubeStatus shutdown(String qube, Duration grace) {
    QubeStatus halted = new QubeStatus(qube, QubeState.HALTED.name(), null);
    qubes.put(qube, halted);
    return halted;
  }

  @Override
  public QubeStatus status(String qube) {
    return qubes.getOrDefault(qube, new QubeStatus(qube, QubeState.HALTED.name(), null));
  }

  @Override
  public List<QubeStatus> list() {
    return new ArrayList<>(qubes.values());
  }

  @Override
  public void removeVolumes(String qube) {
    QubeStatus s = qubes.get(qube);
    if (s != null && s.state().equals(QubeState.RUNNING.name())) {
      throw QairException.conflict("qube '" + qube + "' is running");
    }
    qubes.remove(qube);
  }

  /** Makes a qube crash "on its own", as a real backend reports it. */
  public void crash(String qube, String reason) {
    QubeStatus s = new QubeStatus(qube, QubeState.CRASHED.name(), reason);
    qubes.put(qube, s);
    listeners.forEach(l -> l.accept(s));
  }

  @Override
  public ExecHandle exec(String qube, ExecRequest request, ExecListener listener) {
    QubeStatus s = qubes.get(qube);
    if (s == null || !s.state().equals(QubeState.RUNNING.name())) {
      throw QairException.conflict("qube '" + qube + "' is not running");
    }
    List<String> argv = request.argv();
    int code;
    try {
      code = Integer.parseInt(argv.get(argv.size() - 1));
    } catch (NumberFormatException e) {
      code = 0;
    }
    BlockingQueue<byte[]> stdin = new ArrayBlockingQueue<>(2);
    byte[] eof = new byte[0];
    byte[] kill = new byte[0];
    int exit = code;
    Thread t = new Thread(() -> {
      try {
        while (true) {
          byte[] chunk = stdin.take();
          if (chunk == kill) {
            listener.onExit(137);
            return;
          }
          if (chunk == eof) {
            break;
          }
          if (readDelayMillis > 0) {
            Thread.sleep(readDelayMillis);
          }
          listener.onStdout(chunk);
        }
        listener.onEof(false);
        listener.onEof(true);
        listener.onExit(exit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "fake-exec-" + qube);
    t.setDaemon(true);
    t.start();
    return new ExecHandle() {
      @Override
      public void stdin(byte[] data) {
        try {
          stdin.put(data.clone());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void closeStdin() {
        try {
          stdin.put(eof);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void kill() {
        stdin.clear();
        stdin.offer(kill);
      }
    };
  }

  @Override
  public List<TemplateInfo> templates() {
    return List.of(new TemplateInfo("debian-12", "0".repeat(64), 1234));
  }

  @Override
  public void onStateChange(Consumer<QubeStatus> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    closed = true;
  }
}
