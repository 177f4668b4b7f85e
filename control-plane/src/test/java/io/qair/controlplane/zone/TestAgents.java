package io.qair.controlplane.zone;

import io.qair.agent.AgentConfig;
import io.qair.agent.AgentMain;
import io.qair.agent.server.FakeIsolationBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real zone agents (in this JVM, with a fake isolation backend) on loopback ports. */
final class TestAgents implements AutoCloseable {
  private final Path root;
  private final List<AgentMain.Running> running = new java.util.concurrent.CopyOnWriteArrayList<>();

  TestAgents(Path root) {
    this.root = root;
  }

  /** Starts an agent for {@code zone}; {@code dirName} is its data dir; token and CA null after enrollment. */
  AgentMain.Running start(String dirName, String zone, String token, String caPem, int port) throws IOException {
    Path dir = root.resolve(dirName);
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>(List.of("--data-dir", dir.toString(), "--zone", zone,
        "--listen", "127.0.0.1:" + port));
    if (caPem != null) {
      Files.writeString(root.resolve(dirName + ".ca.pem"), caPem);
      args.addAll(List.of("--ca-cert", root.resolve(dirName + ".ca.pem").toString()));
    }
    if (token != null) {
      Files.writeString(root.resolve(dirName + ".token"), token);
      args.addAll(List.of("--token-file", root.resolve(dirName + ".token").toString()));
    }
    AgentMain.Running r = AgentMain.start(AgentConfig.parse(args.toArray(String[]::new)), new FakeIsolationBackend());
    running.add(r);
    return r;
  }

  static String address(AgentMain.Running r) {
    return "127.0.0.1:" + r.server().port();
  }

  Path dataDir(String dirName) {
    return root.resolve(dirName);
  }

  @Override
  public void close() {
    running.forEach(AgentMain.Running::stop);
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception x) {
        throw x;
      }
      throw e;
    }
  }

  /** The QairException a future fails with; an AssertionError if it succeeds or fails otherwise. */
  static io.qair.protocol.QairException failure(io.vertx.core.Future<?> f) {
    try {
      await(f);
    } catch (io.qair.protocol.QairException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a QairException", e);
    }
    throw new AssertionError("expected a failure");
  }
}
