package io.qair.cloud.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.core.NoCredentialsProvider;
import io.qair.cloud.bootstrap.IdempotencyKeys;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.CloudAdapterContract;
import io.qair.cloud.spi.ZoneHost;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract, and what Compute Engine must be asked, against {@link GceStandIn} through google-cloud-compute. */
class GceCloudAdapterTest extends CloudAdapterContract {
  static final String SHA = "cd".repeat(32);
  private static final List<GceStandIn> STAND_INS = new ArrayList<>();
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  GceStandIn gce;

  @AfterAll
  static void stopStandIns() {
    STAND_INS.forEach(GceStandIn::close);
  }

  @Override
  protected CloudAdapter createAdapter() {
    gce = new GceStandIn();
    STAND_INS.add(gce);
    return adapter(NoCredentialsProvider::create);
  }

  private GceCloudAdapter adapter(java.util.function.Supplier<com.google.api.gax.core.CredentialsProvider> creds) {
    GceCloudAdapter a = new GceCloudAdapter(creds);
    a.init(new AdapterContext(tmp.resolve("gcp"), Map.of("endpoint", gce.baseUrl(), "poll-interval-ms", "5",
        "boot-timeout-seconds", "1", "project", "qair-test-project", "agent.dist-url",
        "https://storage.googleapis.com/b/qair-zone-agent.tar.gz?X-Goog-Signature=s", "agent.dist-sha256", SHA)));
    return a;
  }

  @Override
  protected ZoneRequest request(String name) {
    return new ZoneRequest(name, "us-central1-a", Map.of("allow-from", "203.0.113.7/32", "machine-type", "e2-standard-2"));
  }

  private ZoneRequest request(String name, Consumer<Map<String, String>> change) {
    Map<String, String> o = new HashMap<>(request(name).options());
    change.accept(o);
    return new ZoneRequest(name, "us-central1-a", o);
  }

  private JsonNode inserted(int n) throws IOException {
    return JSON.readTree(gce.calls("instances.insert").get(n).body());
  }

  private static String metadata(JsonNode instance, String key) {
    for (JsonNode item : instance.path("metadata").path("items")) {
      if (item.path("key").asText().equals(key)) {
        return item.path("value").asText();
      }
    }
    return null;
  }

  @Override
  protected void assertBootstrapDelivered(ZoneHost host, Bootstrap b) throws Exception {
    JsonNode i = inserted(0);
    String b64Token = java.util.Base64.getEncoder().encodeToString((b.token() + "\n").getBytes());
    assertThat(metadata(i, "user-data")).startsWith("#cloud-config\n").contains(b64Token);
    assertThat(metadata(i, "startup-script")).startsWith("#!/bin/sh\n").contains(b64Token);
  }

  @Override
  protected void assertNothingLeftFor(String zone) {
    assertThat(gce.instances().values()).noneMatch(i -> zone.equals(i.path("labels").path("qair-zone").asText()));
    assertThat(gce.firewalls().keySet()).noneMatch(k -> k.contains("qair-" + zone + "-"));
  }

  @Test
  void launchesAShieldedDebianVmLabelledWithItsZoneAndMaster() throws Exception {
    ZoneHost host = adapter.provision(request("contract-a"), bootstrap("master-1"));
    JsonNode i = inserted(0);
    assertThat(i.path("labels").path("qair-zone").asText()).isEqualTo("contract-a");
    assertThat(i.path("labels").path("qair-master").asText()).isEqualTo("master-1");
    assertThat(i.path("machineType").asText()).isEqualTo("zones/us-central1-a/machineTypes/e2-standard-2");
    JsonNode shielded = i.path("shieldedInstanceConfig");
    assertThat(shielded.path("enableSecureBoot").asBoolean()).isTrue();
    assertThat(shielded.path("enableVtpm").asBoolean()).isTrue();
    assertThat(shielded.path("enableIntegrityMonitoring").asBoolean()).isTrue();
    assertThat(i.path("disks").get(0).path("initializeParams").path("sourceImage").asText()).isEqualTo(GceStandIn.IMAGE);
    assertThat(i.path("tags").path("items").get(0).asText()).isEqualTo(GceResources.firewallName("contract-a", "master-1"));
    assertThat(gce.calls("instances.insert").get(0).params()).containsEntry("requestId",
        IdempotencyKeys.uuid("gce", "instance", "contract-a", "master-1", "0").toString());
    assertThat(host.address()).matches("203\\.0\\.113\\.\\d+:7444");
    assertThat(host.providerId()).isEqualTo(GceResources.instanceName("contract-a", "master-1"));
  }

  @Test
  void theFirewallOpensOnlyTheAgentPortFromAllowFromToTheZonesInstance() throws Exception {
    adapter.provision(request("contract-a", o -> o.put("agent-port", "9444")), bootstrap("master-1"));
    JsonNode fw = JSON.readTree(gce.calls("firewalls.insert").get(0).body());
    assertThat(fw.path("direction").asText()).isEqualTo("INGRESS");
    assertThat(fw.path("sourceRanges").toString()).isEqualTo("[\"203.0.113.7/32\"]");
    assertThat(fw.path("allowed")).isEqualTo(JSON.readTree("[{\"IPProtocol\":\"tcp\",\"ports\":[\"9444\"]}]"));
    assertThat(fw.path("targetTags").toString()).isEqualTo("[\"" + GceResources.firewallName("contract-a", "master-1") + "\"]");
    assertThat(gce.calls("firewalls.insert").get(0).params()).containsEntry("requestId",
        IdempotencyKeys.uuid("gce", "firewall", "contract-a", "master-1", "0").toString());
    assertThat(adapter.describe("contract-a").orElseThrow().address()).endsWith(":9444");
  }

  @Test
  void withoutAnAgentUrlTheDistributionIsPublishedToCloudStorageAndFetchedByASignedUrl() throws Exception {
    java.security.KeyPair keys = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
    gce.trustSigner(keys.getPublic());
    var account = com.google.auth.oauth2.ServiceAccountCredentials.newBuilder()
        .setClientEmail("qair-master@qair-test-project.iam.gserviceaccount.com").setPrivateKey(keys.getPrivate())
        .setProjectId("qair-test-project").setTokenServerUri(java.net.URI.create(gce.baseUrl() + "/token")).build();
    var gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write("qair-zone-agent.jar and lib/".getBytes());
    }
    Path dist = java.nio.file.Files.write(tmp.resolve("qair-zone-agent.tar.gz"), gz.toByteArray());
    GceCloudAdapter a = new GceCloudAdapter(() -> com.google.api.gax.core.FixedCredentialsProvider.create(account));
    a.init(new AdapterContext(tmp.resolve("gcp-gcs"), Map.of("endpoint", gce.baseUrl(), "storage-endpoint",
        gce.baseUrl(), "poll-interval-ms", "5", "project", "qair-test-project", "agent.dist-file", dist.toString(),
        "agent.url-ttl-minutes", "20")));
    a.provision(request("contract-a", o -> o.put("bucket", GceStandIn.BUCKET)), bootstrap("master-1"));
    String key = GceStandIn.BUCKET + "/" + io.qair.cloud.bootstrap.AgentDistribution.objectKey("contract-a", "master-1");
    assertThat(gce.objects()).containsOnlyKeys(key);
    String script = metadata(inserted(0), "startup-script");
    String install = script.lines().filter(l -> l.contains("qair-agent-install")).filter(l -> l.startsWith("echo '"))
        .map(l -> new String(java.util.Base64.getDecoder().decode(l.substring(6, l.indexOf("' |")))))
        .findFirst().orElseThrow();
    java.util.regex.Matcher url = java.util.regex.Pattern.compile("-o \"\\$archive\" '([^']+)'").matcher(install);
    assertThat(url.find()).as(install).isTrue();
    assertThat(url.group(1)).startsWith(gce.baseUrl() + "/" + key + "?").contains("X-Goog-Expires=1200");
    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(url.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    assertThat(response.body()).isEqualTo(java.nio.file.Files.readAllBytes(dist));
    // a URL changed on the way is refused
    var tampered = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(url.group(1).replace("X-Goog-Expires=1200", "X-Goog-Expires=604800"))).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tampered.statusCode()).isEqualTo(403);
    a.deprovision("contract-a");
    assertThat(gce.objects()).isEmpty();
    assertNothingLeftFor("contract-a");
  }

  @Test
  void userCredentialsThatCannotSignAreToldToGiveAnAgentUrl() throws Exception {
    Path dist = java.nio.file.Files.write(tmp.resolve("agent.tar.gz"), new byte[] {1});
    GceCloudAdapter a = new GceCloudAdapter(NoCredentialsProvider::create);
    a.init(new AdapterContext(tmp.resolve("gcp-gcs"), Map.of("endpoint", gce.baseUrl(), "storage-endpoint",
        gce.baseUrl(), "poll-interval-ms", "5", "project", "qair-test-project", "agent.dist-file", dist.toString())));
    assertThatThrownBy(() -> a.provision(request("contract-a", o -> o.put("bucket", GceStandIn.BUCKET)),
        bootstrap("master-1"))).isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("cannot sign", "agent-url");
        });
    assertNothingLeftFor("contract-a");
  }

  @Test
  void operationsArePolledToCompletion() {
    adapter.provision(request("contract-a"), bootstrap("master-1"));
    assertThat(gce.calls("globalOperations.get")).isNotEmpty();
    assertThat(gce.calls("zoneOperations.get")).isNotEmpty();
  }

  @Test
  void aRepeatedProvisionAfterACrashReusesTheRequestIdsAndMakesNothingTwice() {
    ZoneHost first = adapter.provision(request("contract-a"), bootstrap("master-1"));
    GceCloudAdapter restarted = adapter(NoCredentialsProvider::create);
    assertThat(restarted.provision(request("contract-a"), bootstrap("master-1")).providerId()).isEqualTo(first.providerId());
    assertThat(gce.calls("instances.insert")).hasSize(1);
    assertThat(gce.instances()).hasSize(1);
    assertThat(gce.firewalls()).hasSize(1);
  }

  @Test
  void aMasterThatLostItsStateDirFindsItsHostsByLabelAndCanRemoveThem() {
    ZoneHost mine = adapter.provision(request("contract-a"), bootstrap("master-1"));
    adapter.provision(request("contract-b"), bootstrap("master-2"));
    GceCloudAdapter fresh = new GceCloudAdapter(NoCredentialsProvider::create);
    fresh.init(new AdapterContext(tmp.resolve("gcp-new"), Map.of("endpoint", gce.baseUrl(), "poll-interval-ms", "5",
        "project", "qair-test-project")));
    assertThat(fresh.describe("contract-a")).isEmpty();
    assertThat(fresh.discover("master-1")).containsExactly(mine);
    fresh.deprovision("contract-a");
    assertNothingLeftFor("contract-a");
    assertThat(gce.instances()).hasSize(1);
    assertThat(gce.firewalls()).hasSize(1);
  }

  @Test
  void reprovisioningARemovedZoneGetsPastTheOldRequestIds() {
    adapter.provision(request("contract-a"), bootstrap("master-1"));
    adapter.deprovision("contract-a");
    adapter.provision(request("contract-a"), bootstrap("master-1"));
    assertThat(gce.instances()).hasSize(1);
    assertThat(gce.firewalls()).hasSize(1);
    assertThat(gce.calls("instances.insert").get(2).params()).containsEntry("requestId",
        IdempotencyKeys.uuid("gce", "instance", "contract-a", "master-1", "1").toString());
  }

  static Stream<Arguments> cloudErrors() {
    return Stream.of(
        Arguments.of("instances.insert", "QUOTA_EXCEEDED", ErrorKind.UNAVAILABLE, "quota"),
        Arguments.of("firewalls.insert", "QUOTA_EXCEEDED", ErrorKind.UNAVAILABLE, "Quotas"),
        Arguments.of("instances.insert", "ZONE_RESOURCE_POOL_EXHAUSTED", ErrorKind.UNAVAILABLE, "another zone"),
        Arguments.of("instances.insert", "401", ErrorKind.BAD_REQUEST, "application-default"),
        Arguments.of("images.getFromFamily", "403", ErrorKind.BAD_REQUEST, "not allowed"),
        Arguments.of("instances.insert", "429", ErrorKind.UNAVAILABLE, "quota"),
        Arguments.of("instances.insert", "RESOURCE_NOT_FOUND", ErrorKind.BAD_REQUEST, "machine-type"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cloudErrors")
  void aCloudErrorIsSpecificAndLeavesNothingBehind(String operation, String code, ErrorKind kind, String says) {
    gce.failNext(operation, code);
    assertThatThrownBy(() -> adapter.provision(request("contract-a"), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(kind);
          assertThat(e.getMessage()).contains(says);
        });
    assertNothingLeftFor("contract-a");
    assertThat(adapter.describe("contract-a")).isEmpty();
  }

  @Test
  void anInstanceFailureDeletesTheFirewallItMade() {
    gce.failNext("instances.insert", "QUOTA_EXCEEDED");
    assertThatThrownBy(() -> adapter.provision(request("contract-a"), bootstrap("master-1")));
    assertThat(gce.calls("firewalls.insert")).hasSize(1);
    assertThat(gce.calls("firewalls.delete")).hasSize(1);
    assertThat(gce.firewalls()).isEmpty();
  }

  @Test
  void anUnknownZoneIsABadRequestThatSaysHowToFindOne() {
    assertThatThrownBy(() -> adapter.provision(new ZoneRequest("contract-a", "mars-north1-a", request("x").options()),
        bootstrap("master-1"))).isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("mars-north1-a", "gcloud compute zones list");
        });
    assertNothingLeftFor("contract-a");
  }

  @Test
  void noDebianImageIsABadRequest() {
    gce.removeImages();
    assertThatThrownBy(() -> adapter.provision(request("contract-a"), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("debian-12", "image");
        });
  }

  @Test
  void anInstanceThatNeverBootsIsDeletedWithItsFirewall() {
    gce.neverBoot();
    assertThatThrownBy(() -> adapter.provision(request("contract-a"), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
          assertThat(e.getMessage()).contains("did not reach RUNNING");
        });
    assertThat(gce.calls("instances.delete")).hasSize(1);
    assertNothingLeftFor("contract-a");
  }

  @Test
  void withoutCredentialsTheAdapterSaysHowToGetThem() {
    GceCloudAdapter a = adapter(() -> () -> {
      throw new IOException("Your default credentials were not found");
    });
    assertThat(a.unavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("gcloud auth application-default login"));
    assertThatThrownBy(() -> a.provision(request("contract-a"), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("no Google credentials");
        });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "machine-type|E2 Standard|machine-type", "project|X|Google Cloud project", "network|-net|network",
      "image|debian|image", "disk-size|1|disk-size", "instance-type|m6i.large|unknown gcp zone option",
      "allow-from|::/0|allow-from"})
  void badOptionsAreRejectedBeforeAnyCloudCall(String key, String value, String says) {
    assertThatThrownBy(() -> adapter.provision(request("contract-a", o -> o.put(key, value)), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains(says);
        });
    assertThat(gce.calls()).isEmpty();
  }
}
