package io.qair.cloud.local;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stands in for the zone agent in adapter tests: takes the agent's command line, records it and
 * whether the token and CA files were there, listens on a loopback port, writes {@code agent.port}
 * and answers "qair-fake-agent" to anyone who connects, until killed.
 */
public final class FakeAgentMain {
  private FakeAgentMain() {}

  public static void main(String[] args) throws Exception {
    List<String> argv = List.of(args);
    Path dataDir = Path.of(argv.get(argv.indexOf("--data-dir") + 1));
    int t = argv.indexOf("--token-file");
    String token = t >= 0 ? Files.readString(Path.of(argv.get(t + 1))).trim() : "";
    String ca = Files.readString(Path.of(argv.get(argv.indexOf("--ca-cert") + 1)));
    Files.writeString(dataDir.resolve("fake-agent.txt"), String.join(" ", argv) + "\ntoken=" + token
        + "\nca=" + ca.length() + "\n");
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Files.writeString(dataDir.resolve("agent.port"), s.getLocalPort() + "\n");
      while (true) {
        try (Socket c = s.accept()) {
          c.getOutputStream().write("qair-fake-agent\n".getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
  }
}
