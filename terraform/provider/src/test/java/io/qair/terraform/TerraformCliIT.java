package io.qair.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.terraform.impl.AdminClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code terraform} CLI against a real master (started here the way {@code ./qair up}
 * starts it) with the provider installed offline from the filesystem mirror the build makes.
 * The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerraformCliIT {
  static final Path ROOT = Path.of(System.getProperty("qair.root", "../..")).toAbsolutePath().normalize();
  static final Path MIRROR = Path.of(System.getProperty("qair.mirror", "target/mirror")).toAbsolutePath();

  @TempDir static Path tmp;
  static Path home;
  static Path work;
  static Process master;
  static AdminClient api;
  static String endpoint;

  record Result(int exit, String out) {}

  @BeforeAll
  static void startMaster() throws Exception {
    home = Files.createDirectories(tmp.resolve("home"));
    Path data = Files.createDirectories(home.resolve("master"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    endpoint = "https://127.0.0.1:" + port;
    Path cp = ROOT.resolve("control-plane/target");
    Path agent = ROOT.resolve("zone-agent/target");
    master = new ProcessBuilder("java", "-Xms64m", "-XX:+UseSerialGC",
        "-cp", cp.resolve("qair-control-plane-0.1.0-SNAPSHOT.jar") + ":" + cp.resolve("lib") + "/*",
        "-Dqair.agent.dist=" + agent,
        "-Dqair.templates.dir=" + System.getProperty("qair.templates.dir", "/var/cache/qair/templates"),
        "-Dqair.adapter.agent.jvm-options=-XX:+UseSerialGC -Xss512k",
        "io.qair.controlplane.MasterMain", "--data-dir", data.toString(), "--port", String.valueOf(port),
        "--default-zone", "local")
        .redirectErrorStream(true).redirectOutput(data.resolve("console.log").toFile()).start();
    Path token = data.resolve("token");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(token)) {
      assertThat(master.isAlive()).as("master running; see %s", data.resolve("master.log")).isTrue();
      assertThat(System.nanoTime()).as("master wrote its token").isLessThan(deadline);
      Thread.sleep(200);
    }
    Thread.sleep(300);
    api = AdminClient.create(endpoint, Files.readString(token).trim(), data.resolve("ca/ca.pem"));
    awaitZoneReady("local");
    work = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(work.resolve("cli.tfrc"), "provider_installation {\n  filesystem_mirror {\n    path    = \""
        + MIRROR + "\"\n    include = [\"qair.dev/*/*\"]\n  }\n}\n");
  }

  static void awaitZoneReady(String zone) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (true) {
      Optional<JsonNode> z;
      try {
        z = api.get("/api/v1/zones/" + zone);
      } catch (RuntimeException e) {
        z = Optional.empty();
      }
      if (z.isPresent() && "READY".equals(z.get().path("state").asText())) {
        return;
      }
      assertThat(System.nanoTime()).as("zone %s READY", zone).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  @AfterAll
  static void stopMaster() throws Exception {
    if (master != null) {
      master.destroy();
      master.waitFor(20, TimeUnit.SECONDS);
      master.destroyForcibly();
    }
    // local zone agents the master started
    try (var zones = Files.list(home.resolve("zones"))) {
      for (Path z : zones.toList()) {
        Path pid = z.resolve("agent.pid");
        if (Files.exists(pid)) {
          ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
              .filter(p -> p.info().commandLine().orElse("").contains("AgentMain"))
              .ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> {
                  p.destroyForcibly();
                  return p;
                }).join();
              });
        }
      }
    } catch (IOException e) {
      // no zones directory: nothing started
    }
  }

  static void config(String body) throws IOException {
    Files.writeString(work.resolve("main.tf"), """
        terraform {
          required_providers {
            qair = { source = "qair.dev/qair/qair" }
          }
        }
        provider "qair" {}
        """ + body);
  }

  static String qube(String name, String label) {
    return """
        resource "qair_zone" "z" {
          name          = "tfz"
          provider_kind = "local"
          # the master puts the default template qube into a new zone (see README)
          force_destroy = true
        }
        resource "qair_qube" "work" {
          name     = "%s"
          zone     = qair_zone.z.name
          label    = "%s"
          tags     = ["work"]
          features = { "service.tf" = "1" }
        }
        data "qair_labels" "all" {}
        output "labels" { value = data.qair_labels.all.names }
        """.formatted(name, label);
  }

  static Result terraform(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("terraform"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("TF_CLI_CONFIG_FILE", work.resolve("cli.tfrc").toString());
    env.put("CHECKPOINT_DISABLE", "1");
    env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString()); // the provider's AppCDS archive
    env.put("TF_IN_AUTOMATION", "1");
    // the provider block is empty: configuration comes from the environment fallbacks
    env.put("QAIR_ENDPOINT", endpoint);
    env.put("QAIR_HOME", home.toString());
    env.remove("QAIR_TOKEN");
    env.remove("QAIR_CA");
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    System.err.printf("terraform %s: exit %d in %d ms%n%s%n", String.join(" ", args), p.exitValue(),
        Duration.ofNanos(System.nanoTime() - t0).toMillis(), out);
    return new Result(p.exitValue(), out);
  }

  static Optional<JsonNode> apiQube(String name) {
    return api.get("/api/v1/qubes/" + name);
  }

  @Test
  @Order(1)
  void initInstallsTheProviderFromTheOfflineMirror() throws Exception {
    config(qube("tfwork", "blue"));
    Result r = terraform("init", "-no-color", "-input=false");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Installing qair.dev/qair/qair v0.1.0");
  }

  @Test
  @Order(2)
  void planShowsTheCreates() throws Exception {
    Result r = terraform("plan", "-no-color", "-input=false", "-detailed-exitcode");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("# qair_qube.work will be created", "# qair_zone.z will be created",
        "zone     = \"tfz\"", "memory   = (known after apply)", "Plan: 2 to add, 0 to change, 0 to destroy.",
        "\"purple\"");
  }

  @Test
  @Order(3)
  void applyCreatesTheZoneAndTheQube() throws Exception {
    Result r = terraform("apply", "-no-color", "-input=false", "-auto-approve");
    assertThat(r.exit()).isZero();
    JsonNode q = apiQube("tfwork").orElseThrow();
    assertThat(q.path("zone").asText()).isEqualTo("tfz");
    assertThat(q.path("label").asText()).isEqualTo("blue");
    assertThat(q.path("tags").toString()).contains("\"work\"");
    assertThat(q.path("features").path("service.tf").asText()).isEqualTo("1");
    assertThat(terraform("plan", "-no-color", "-detailed-exitcode").exit()).as("no diff after apply").isZero();
  }

  @Test
  @Order(4)
  void labelChangeIsAnInPlaceUpdate() throws Exception {
    config(qube("tfwork", "red"));
    Result plan = terraform("plan", "-no-color", "-detailed-exitcode");
    assertThat(plan.out()).contains("# qair_qube.work will be updated in-place", "~ label    = \"blue\" -> \"red\"",
        "Plan: 0 to add, 1 to change, 0 to destroy.");
    assertThat(terraform("apply", "-no-color", "-auto-approve").exit()).isZero();
    assertThat(apiQube("tfwork").orElseThrow().path("label").asText()).isEqualTo("red");
  }

  @Test
  @Order(5)
  void renameReplacesTheQube() throws Exception {
    config(qube("tfwork2", "red"));
    Result plan = terraform("plan", "-no-color", "-detailed-exitcode");
    assertThat(plan.out()).contains("# qair_qube.work must be replaced", "# forces replacement",
        "Plan: 1 to add, 0 to change, 1 to destroy.");
    assertThat(terraform("apply", "-no-color", "-auto-approve").exit()).isZero();
    assertThat(apiQube("tfwork")).isEmpty();
    assertThat(apiQube("tfwork2")).isPresent();
  }

  @Test
  @Order(6)
  void aQubeDeletedOutOfBandIsRecreated() throws Exception {
    assertThat(api.delete("/api/v1/qubes/tfwork2")).isTrue();
    Result plan = terraform("plan", "-no-color", "-detailed-exitcode");
    assertThat(plan.exit()).isEqualTo(2);
    assertThat(plan.out()).contains("# qair_qube.work will be created", "Plan: 1 to add, 0 to change, 0 to destroy.");
    assertThat(terraform("apply", "-no-color", "-auto-approve").exit()).isZero();
    assertThat(apiQube("tfwork2")).isPresent();
  }

  @Test
  @Order(7)
  void importTakesAnExistingQubeByName() throws Exception {
    api.post("/api/v1/qubes", Map.of("name", "tfextra", "label", "green", "zone", "tfz"));
    config(qube("tfwork2", "red") + """
        resource "qair_qube" "extra" {
          name  = "tfextra"
          zone  = qair_zone.z.name
          label = "green"
        }
        """);
    Result imp = terraform("import", "-no-color", "-input=false", "qair_qube.extra", "tfextra");
    assertThat(imp.exit()).isZero();
    assertThat(imp.out()).contains("Import successful!");
    assertThat(terraform("plan", "-no-color", "-detailed-exitcode").exit()).as("imported state matches").isZero();
    config(qube("tfwork2", "red") + """
        resource "qair_qube" "extra" {
          name  = "tfextra"
          zone  = qair_zone.z.name
          label = "green"
        }
        resource "qair_qube" "nothere" {
          name  = "nothere"
          label = "green"
        }
        """);
    Result missing = terraform("import", "-no-color", "-input=false", "qair_qube.nothere", "nothere");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).contains("no qube named \"nothere\" on the qair master");
  }

  @Test
  @Order(8)
  void invalidValuesGiveDiagnosticsPointingAtTheAttribute() throws Exception {
    config(qube("tfwork2", "pink") + """
        resource "qair_qube" "extra" {
          name   = "tfextra"
          zone   = qair_zone.z.name
          label  = "green"
          memory = 10
        }
        """);
    Result plan = terraform("plan", "-no-color");
    assertThat(plan.exit()).isEqualTo(1);
    assertThat(plan.out()).contains("Error: Invalid label", "label    = \"pink\"", "is not a label; use one of",
        "Error: Value out of range", "memory = 10", "memory must be between 64 and 65536");
  }

  @Test
  @Order(9)
  void destroyLeavesNothing() throws Exception {
    config(qube("tfwork2", "red") + """
        resource "qair_qube" "extra" {
          name  = "tfextra"
          zone  = qair_zone.z.name
          label = "green"
        }
        """);
    Result r = terraform("destroy", "-no-color", "-auto-approve");
    System.err.println("qubes after destroy: " + api.get("/api/v1/qubes").orElseThrow());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Destroy complete! Resources: 3 destroyed.");
    assertThat(apiQube("tfwork2")).isEmpty();
    assertThat(apiQube("tfextra")).isEmpty();
    assertThat(api.get("/api/v1/zones/tfz")).isEmpty();
  }
}
