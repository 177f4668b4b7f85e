package io.qair.agent.sandbox;

import io.qair.agent.spi.BackendConfig;
import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A stand-in agent for {@link SandboxRecoveryIT}, run in its own JVM so the test can kill -9 it:
 * {@code DATA_DIR TEMPLATES_DIR GUEST ZONE NAME:CLASS...}. Starts the qubes, writes a marker into
 * every private volume, prints READY and waits to be killed.
 */
public final class CrashingAgentMain {
  private CrashingAgentMain() {}

  public static void main(String[] args) throws Exception {
    SandboxIsolationBackend b = new SandboxIsolationBackend();
    b.init(new BackendConfig(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), args[3]));
    for (int i = 4; i < args.length; i++) {
      String[] nk = args[i].split(":");
      b.start(new QubeSpec(nk[0], nk[1], SandboxFixture.TEMPLATE, "red", 256, 1, null, Map.of()));
      RecordingListener l = new RecordingListener();
      b.exec(nk[0], new ExecRequest(List.of("sh", "-c", "echo before-crash > ~/marker; sleep 1000 >/dev/null 2>&1 &"),
          Map.of()), l).closeStdin();
      l.exitCode();
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
