package io.qair.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.agent.spi.RecordingListener;
import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kill -9 of the agent: qubes keep running, a new agent re-adopts them and cleans up the rest. */
class SandboxRecoveryIT {
  private SandboxFixture fixture;
  private SandboxIsolationBackend recovered;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new SandboxFixture();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (recovered != null) {
      for (QubeStatus s : recovered.list()) {
        recovered.shutdown(s.name(), Duration.ofSeconds(2));
        recovered.removeVolumes(s.name());
      }
      recovered.close();
    }
    fixture.close();
  }

  @Test
  void runningQubesAreReadoptedAndDeadOnesCleanedUp() throws Exception {
    Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dqair.sandbox.uidClaims=" + System.getProperty("qair.sandbox.uidClaims"),
        CrashingAgentMain.class.getName(), fixture.config.dataDir().toString(), fixture.config.templatesDir().toString(),
        fixture.config.guestBinary().toString(), fixture.config.zone(), "r-app:AppVM", "r-disp:DispVM", "r-dies:AppVM")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream()))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("READY"));
      assertThat(line).as("the child agent started its qubes").isEqualTo("READY");
    }
    agent.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
    assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();

    // r-dies stops while no agent is there
    RuntimeRecord dies = RuntimeRecord.read(fixture.config.dataDir().resolve("run/r-dies.json")).orElseThrow();
    assertThat(dies.alive()).isTrue();
    CgroupV1 diesCgroup = CgroupV1.of(fixture.config.zone(), "r-dies");
    ProcessHandle.of(dies.pid()).orElseThrow().destroyForcibly();
    awaitTrue(() -> !dies.alive());

    recovered = fixture.newBackend();
    List<QubeStatus> adopted = recovered.recover();
    assertThat(adopted).extracting(QubeStatus::name).containsExactlyInAnyOrder("r-app", "r-disp");
    for (String q : List.of("r-app", "r-disp")) {
      assertThat(recovered.status(q).state()).isEqualTo("RUNNING");
      RecordingListener l = new RecordingListener();
      recovered.exec(q, new ExecRequest(List.of("cat", "/home/user/marker"), Map.of()), l).closeStdin();
      assertThat(l.exitCode()).isZero();
      assertThat(l.stdout()).isEqualTo("before-crash\n");
    }
    assertThat(recovered.status("r-dies").state()).isEqualTo("CRASHED");
    assertThat(diesCgroup.processes()).isEmpty();
    for (String c : CgroupV1.CONTROLLERS) {
      assertThat(CgroupV1.zoneDir(c, fixture.config.zone()).resolve("r-dies")).doesNotExist();
    }
    assertThat(fixture.config.dataDir().resolve("run/r-dies.json")).doesNotExist();
    assertThat(Files.readString(fixture.config.dataDir().resolve("qubes/r-dies/private/marker"))).isEqualTo("before-crash\n");

    // re-adopted qubes stop cleanly and leave nothing behind
    int dispUid = Integer.parseInt(Files.readString(fixture.config.dataDir().resolve("qubes/r-disp/uid")).trim());
    CgroupV1 dispCgroup = CgroupV1.of(fixture.config.zone(), "r-disp");
    assertThat(recovered.shutdown("r-disp", Duration.ofSeconds(2)).state()).isEqualTo("HALTED");
    assertThat(dispCgroup.processes()).isEmpty();
    assertThat(fixture.config.dataDir().resolve("qubes/r-disp")).doesNotExist();
    assertThat(Path.of("/tmp/qair-test-uids", Integer.toString(dispUid))).doesNotExist();
    assertThat(recovered.shutdown("r-app", Duration.ofSeconds(2)).state()).isEqualTo("HALTED");
    assertThat(CgroupV1.existing(fixture.config.zone())).isEmpty();
  }

  @Test
  void recoverOnACleanDataDirectoryAdoptsNothing() {
    recovered = fixture.newBackend();
    assertThat(recovered.recover()).isEmpty();
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitTrue(Check c) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!c.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 20 s");
      }
      Thread.sleep(10);
    }
  }
}
