package io.qair.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.cloud.bootstrap.IdempotencyKeys;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.CloudAdapterContract;
import io.qair.cloud.spi.ZoneHost;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The contract, and what EC2 must be asked, against {@link Ec2StandIn} through the real AWS SDK. */
class Ec2CloudAdapterTest extends CloudAdapterContract {
  static final String SHA = "ab".repeat(32);
  private static final List<Ec2StandIn> STAND_INS = new ArrayList<>();
  @TempDir Path tmp;
  Ec2StandIn ec2;

  @AfterAll
  static void stopStandIns() {
    STAND_INS.forEach(Ec2StandIn::close);
  }

  @Override
  protected CloudAdapter createAdapter() {
    ec2 = new Ec2StandIn();
    STAND_INS.add(ec2);
    return adapter(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDQAIRTEST", "not-a-secret")));
  }

  private Ec2CloudAdapter adapter(AwsCredentialsProvider credentials) {
    Ec2CloudAdapter a = new Ec2CloudAdapter(() -> credentials);
    a.init(new AdapterContext(tmp.resolve("aws"), Map.of("endpoint", ec2.baseUrl(), "poll-interval-ms", "5",
        "boot-timeout-seconds", "1", "agent.dist-url", "https://dist.example/qair-zone-agent.tar.gz?sig=x",
        "agent.dist-sha256", SHA)));
    return a;
  }

  @Override
  protected ZoneRequest request(String name) {
    return new ZoneRequest(name, "eu-central-1", Map.of("allow-from", "203.0.113.7/32", "instance-type", "m6i.large"));
  }

  private ZoneRequest request(String name, Consumer<Map<String, String>> change) {
    Map<String, String> o = new HashMap<>(request(name).options());
    change.accept(o);
    return new ZoneRequest(name, "eu-central-1", o);
  }

  @Override
  protected void assertBootstrapDelivered(ZoneHost host, io.qair.cloud.spi.Bootstrap b) {
    String userData = userData(ec2.calls("RunInstances").get(0).params());
    assertThat(userData).startsWith("#cloud-config\n").contains(b64(b.token() + "\n")).contains(b64(b.caCertPem()));
  }

  @Override
  protected void assertNothingLeftFor(String zone) {
    assertThat(ec2.liveInstances()).noneMatch(i -> zone.equals(i.tags.get("qair:zone")));
    assertThat(ec2.groups()).noneMatch(g -> zone.equals(g.tags.get("qair:zone")));
  }

  private static String userData(Map<String, String> params) {
    return new String(Base64.getDecoder().decode(params.get("UserData")), StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void launchesTheNewestDebianHardenedAndTagged() {
    ZoneHost host = adapter.provision(request("contract-a"), bootstrap("master-1"));
    Map<String, String> run = ec2.calls("RunInstances").get(0).params();
    assertThat(run).containsEntry("ImageId", Ec2StandIn.NEWEST_DEBIAN)
        .containsEntry("InstanceType", "m6i.large")
        .containsEntry("MetadataOptions.HttpTokens", "required")
        .containsEntry("BlockDeviceMapping.1.DeviceName", "/dev/xvda")
        .containsEntry("BlockDeviceMapping.1.Ebs.Encrypted", "true")
        .containsEntry("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "true")
        .containsEntry("TagSpecification.1.ResourceType", "instance")
        .containsEntry("TagSpecification.1.Tag.1.Key", "qair:zone")
        .containsEntry("TagSpecification.1.Tag.1.Value", "contract-a")
        .containsEntry("TagSpecification.1.Tag.2.Key", "qair:master")
        .containsEntry("TagSpecification.1.Tag.2.Value", "master-1")
        .containsEntry("TagSpecification.2.ResourceType", "volume")
        .containsEntry("ClientToken", IdempotencyKeys.hex("ec2-run", "contract-a", "master-1", "0"));
    assertThat(host.address()).endsWith(":7444");
    String userData = userData(run);
    assertThat(userData).contains("openjdk-17-jre-headless", "bubblewrap", b64(SHA + "\n").substring(0, 8));
    var images = ec2.calls("DescribeImages").get(0).params();
    assertThat(images).containsEntry("Owner.1", "136693071363").containsValue("debian-12-amd64-*");
  }

  @Test
  void theSecurityGroupOpensOnlyTheAgentPortFromAllowFrom() {
    adapter.provision(request("contract-a", o -> o.put("agent-port", "8443")), bootstrap("master-1"));
    assertThat(ec2.groups()).singleElement().satisfies(g -> {
      assertThat(g.ingress).containsExactly("tcp:8443-8443:203.0.113.7/32");
      assertThat(g.tags).containsEntry("qair:zone", "contract-a").containsEntry("qair:master", "master-1");
      assertThat(g.vpc).isEqualTo("vpc-default");
    });
    assertThat(ec2.calls("RunInstances").get(0).params()).containsEntry("SecurityGroupId.1", ec2.groups().get(0).id);
    assertThat(adapter.describe("contract-a").orElseThrow().address()).endsWith(":8443");
  }

  @Test
  void withoutAnAgentUrlTheDistributionIsPublishedToS3AndFetchedByAPresignedUrl() throws Exception {
    Path dist = java.nio.file.Files.write(tmp.resolve("qair-zone-agent.tar.gz"), new byte[] {31, -117, 8, 0, 1, 2, 3});
    Ec2CloudAdapter a = new Ec2CloudAdapter(() -> StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
    a.init(new AdapterContext(tmp.resolve("aws-s3"), Map.of("endpoint", ec2.baseUrl(), "poll-interval-ms", "5",
        "boot-timeout-seconds", "1", "agent.dist-file", dist.toString(), "agent.url-ttl-minutes", "15")));
    a.provision(request("contract-a", o -> o.put("bucket", Ec2StandIn.BUCKET)), bootstrap("master-1"));
    String key = Ec2StandIn.BUCKET + "/" + io.qair.cloud.bootstrap.AgentDistribution.objectKey("contract-a", "master-1");
    assertThat(ec2.objects()).containsOnlyKeys(key);
    String userData = userData(ec2.calls("RunInstances").get(0).params());
    String script = installScript(userData);
    java.util.regex.Matcher url = java.util.regex.Pattern.compile("-o \"\\$archive\" '([^']+)'").matcher(script);
    assertThat(url.find()).as(script).isTrue();
    assertThat(url.group(1)).startsWith(ec2.baseUrl() + "/" + key + "?").contains("X-Amz-Expires=900", "X-Amz-Signature=");
    // what the host downloads is what the script's digest says
    byte[] fetched = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(url.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
    assertThat(fetched).isEqualTo(java.nio.file.Files.readAllBytes(dist));
    assertThat(script).contains("echo '" + io.qair.cloud.bootstrap.AgentDistribution.sha256(dist) + "  '");
    a.deprovision("contract-a");
    assertThat(ec2.objects()).isEmpty();
    assertNothingLeftFor("contract-a");
  }

  @Test
  void aMissingBucketIsABadRequestAndLeavesNothing() throws Exception {
    Path dist = java.nio.file.Files.write(tmp.resolve("agent.tar.gz"), new byte[] {1});
    Ec2CloudAdapter a = new Ec2CloudAdapter(() -> StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
    a.init(new AdapterContext(tmp.resolve("aws-s3"), Map.of("endpoint", ec2.baseUrl(), "poll-interval-ms", "5",
        "boot-timeout-seconds", "1", "agent.dist-file", dist.toString())));
    assertThatThrownBy(() -> a.provision(request("contract-a", o -> o.put("bucket", "no-such-bucket")), bootstrap("m")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("bucket", "NoSuchBucket");
          assertThat(e.getSuppressed()).isEmpty();
        });
    assertNothingLeftFor("contract-a");
    assertThat(a.describe("contract-a")).isEmpty();
  }

  private static String installScript(String userData) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files = (List<Map<String, Object>>) new org.yaml.snakeyaml.Yaml()
        .<Map<String, Object>>load(userData).get("write_files");
    return files.stream().filter(f -> f.get("path").equals("/usr/local/sbin/qair-agent-install"))
        .map(f -> new String(Base64.getDecoder().decode((String) f.get("content")), StandardCharsets.UTF_8))
        .findFirst().orElseThrow();
  }

  @Test
  void aSubnetPutsTheGroupInItsVpc() {
    adapter.provision(request("contract-a", o -> o.put("subnet", Ec2StandIn.SUBNET)), bootstrap("master-1"));
    assertThat(ec2.groups().get(0).vpc).isEqualTo(Ec2StandIn.VPC);
    assertThat(ec2.calls("RunInstances").get(0).params()).containsEntry("NetworkInterface.1.SubnetId", Ec2StandIn.SUBNET)
        .containsEntry("NetworkInterface.1.AssociatePublicIpAddress", "true")
        .containsEntry("NetworkInterface.1.SecurityGroupId.1", ec2.groups().get(0).id)
        .doesNotContainKey("SecurityGroupId.1");
  }

  @Test
  void aPrivateSubnetHostGetsNoPublicAddressAndIsReachedPrivately() {
    ZoneHost host = adapter.provision(request("contract-a", o -> {
      o.put("subnet", Ec2StandIn.SUBNET);
      o.put("public-ip", "false");
    }), bootstrap("master-1"));
    assertThat(ec2.calls("RunInstances").get(0).params()).containsEntry("NetworkInterface.1.AssociatePublicIpAddress",
        "false");
    assertThat(host.address()).startsWith("10.0.0.");
  }

  @Test
  void aLostRunInstancesAnswerIsRetriedWithTheSameClientTokenAndMakesOneInstance() {
    ec2.failNext("RunInstances", Ec2StandIn.ANSWER_LOST);
    ZoneHost host = adapter.provision(request("contract-a"), bootstrap("master-1"));
    var runs = ec2.calls("RunInstances");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1).params().get("ClientToken")).isEqualTo(runs.get(0).params().get("ClientToken"));
    assertThat(ec2.liveInstances()).singleElement().satisfies(i -> assertThat(i.id).isEqualTo(host.providerId()));
  }

  @Test
  void aMasterThatLostItsRecordsFindsTheHostByTagInsteadOfLaunchingAnother() throws Exception {
    ZoneHost first = adapter.provision(request("contract-a"), bootstrap("master-1"));
    Ec2CloudAdapter restarted = adapter(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
    java.nio.file.Files.delete(tmp.resolve("aws/.aws/contract-a.properties"));
    assertThat(restarted.provision(request("contract-a"), bootstrap("master-1")).providerId())
        .isEqualTo(first.providerId());
    assertThat(ec2.calls("RunInstances")).hasSize(1);
  }

  @Test
  void aMasterThatLostItsStateDirFindsItsHostsByTagAndCanRemoveThem() {
    ZoneHost mine = adapter.provision(request("contract-a"), bootstrap("master-1"));
    adapter.provision(request("contract-b"), bootstrap("master-2"));
    Ec2CloudAdapter fresh = new Ec2CloudAdapter(() -> StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
    fresh.init(new AdapterContext(tmp.resolve("aws-new"), Map.of("endpoint", ec2.baseUrl(), "poll-interval-ms", "5",
        "discover-regions", "eu-central-1,us-east-1")));
    assertThat(fresh.describe("contract-a")).isEmpty();
    assertThat(fresh.discover("master-1")).containsExactly(mine);
    fresh.deprovision("contract-a");
    assertNothingLeftFor("contract-a");
    assertThat(ec2.liveInstances()).singleElement().satisfies(i -> assertThat(i.tags).containsEntry("qair:zone", "contract-b"));
  }

  @Test
  void aRepeatAfterACrashThatEc2DoesNotShowByTagYetFindsTheGroupAndInstanceOfTheFirstAttempt() throws Exception {
    ZoneHost first = adapter.provision(request("contract-a"), bootstrap("master-1"));
    ec2.hideTags();
    java.nio.file.Files.delete(tmp.resolve("aws/.aws/contract-a.properties"));
    // the master restarted and issued a new enrollment token: other user-data, same ClientToken
    ZoneHost again = adapter.provision(request("contract-a"), new io.qair.cloud.spi.Bootstrap("another-token",
        bootstrap("master-1").caCertPem(), "00".repeat(32), "master-1"));
    assertThat(again.providerId()).isEqualTo(first.providerId());
    assertThat(ec2.instances()).hasSize(1);
    assertThat(ec2.groups()).hasSize(1);
  }

  @Test
  void reprovisioningARemovedZoneSkipsTheTerminatedInstanceOfTheOldToken() {
    ZoneHost first = adapter.provision(request("contract-a"), bootstrap("master-1"));
    adapter.deprovision("contract-a");
    ZoneHost second = adapter.provision(request("contract-a"), bootstrap("master-1"));
    assertThat(second.providerId()).isNotEqualTo(first.providerId());
    assertThat(ec2.calls("RunInstances").get(2).params().get("ClientToken"))
        .isEqualTo(IdempotencyKeys.hex("ec2-run", "contract-a", "master-1", "1"));
  }

  static Stream<Arguments> cloudErrors() {
    return Stream.of(
        Arguments.of("RunInstances", "InstanceLimitExceeded", ErrorKind.UNAVAILABLE, "quota"),
        Arguments.of("RunInstances", "VcpuLimitExceeded", ErrorKind.UNAVAILABLE, "Service Quotas"),
        Arguments.of("CreateSecurityGroup", "SecurityGroupLimitExceeded", ErrorKind.UNAVAILABLE, "quota"),
        Arguments.of("RunInstances", "UnauthorizedOperation", ErrorKind.BAD_REQUEST, "refused the credentials"),
        Arguments.of("DescribeImages", "AuthFailure", ErrorKind.BAD_REQUEST, "refused the credentials"),
        Arguments.of("RunInstances", "InsufficientInstanceCapacity", ErrorKind.UNAVAILABLE, "another instance-type"),
        Arguments.of("RunInstances", "Unsupported", ErrorKind.UNAVAILABLE, "cannot run this instance"),
        Arguments.of("DescribeImages", "OptInRequired", ErrorKind.BAD_REQUEST, "not enabled"),
        Arguments.of("RunInstances", "InvalidParameterValue", ErrorKind.BAD_REQUEST, "instance-type"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cloudErrors")
  void aCloudErrorIsSpecificAndLeavesNothingBehind(String operation, String code, ErrorKind kind, String says)
      throws Exception {
    ec2.failNext(operation, code);
    assertThatThrownBy(() -> adapter.provision(request("contract-a"), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(kind);
          assertThat(e.getMessage()).contains(says).contains(code);
        });
    assertNothingLeftFor("contract-a");
    assertThat(adapter.describe("contract-a")).isEmpty();
  }

  @Test
  void aRunInstancesFailureDeletesTheSecurityGroupItMade() {
    ec2.failNext("RunInstances", "InstanceLimitExceeded");
    assertThatThrownBy(() -> adapter.provision(request("contract-a"), bootstrap("master-1")));
    assertThat(ec2.calls("CreateSecurityGroup")).hasSize(1);
    assertThat(ec2.calls("DeleteSecurityGroup")).hasSize(1);
    assertThat(ec2.groups()).isEmpty();
  }

  @Test
  void noDebianImageIsABadRequestThatSaysToGiveAnAmi() throws Exception {
    ec2.removeImages();
    assertThatThrownBy(() -> adapter.provision(request("contract-a"), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("no Debian 12 image", "ami=");
        });
    assertNothingLeftFor("contract-a");
  }

  @Test
  void anUnknownAmiIsABadRequest() {
    assertThatThrownBy(() -> adapter.provision(request("contract-a", o -> o.put("ami", "ami-0123456789abcdef0")),
        bootstrap("master-1"))).isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("ami-0123456789abcdef0", "not found");
        });
  }

  @Test
  void anInstanceThatNeverBootsIsTerminatedAndItsGroupDeleted() throws Exception {
    ec2.neverBoot();
    assertThatThrownBy(() -> adapter.provision(request("contract-a"), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
          assertThat(e.getMessage()).contains("did not reach running", "1 s");
        });
    assertThat(ec2.calls("TerminateInstances")).hasSize(1);
    assertNothingLeftFor("contract-a");
  }

  @Test
  void withoutCredentialsTheAdapterSaysHowToConfigureThem() {
    Ec2CloudAdapter a = adapter(() -> {
      throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    });
    assertThat(a.unavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("AWS_PROFILE"));
    assertThatThrownBy(() -> a.provision(request("contract-a"), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains("no AWS credentials");
        });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "agent-port|0|agent-port", "agent-port|http|agent-port", "allow-from|everyone|allow-from",
      "allow-from|10.0.0.0/33|allow-from", "instance-type|huge|instance-type", "subnet|my-subnet|subnet",
      "ami|debian|ami", "volume-size|2|volume-size", "colour|blue|unknown aws zone option",
      "agent-sha256|abc|SHA-256"})
  void badOptionsAreRejectedBeforeAnyCloudCall(String key, String value, String says) {
    assertThatThrownBy(() -> adapter.provision(request("contract-a", o -> o.put(key, value)), bootstrap("master-1")))
        .isInstanceOfSatisfying(QairException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
          assertThat(e.getMessage()).contains(says);
        });
    assertThat(ec2.calls()).isEmpty();
  }

  @Test
  void aZoneWithoutRegionOrAllowFromIsRejected() {
    assertThatThrownBy(() -> adapter.provision(new ZoneRequest("contract-a", null, request("x").options()),
        bootstrap("m"))).hasMessageContaining("needs a region");
    assertThatThrownBy(() -> adapter.provision(new ZoneRequest("contract-a", "eu-central-1", Map.of()),
        bootstrap("m"))).hasMessageContaining("allow-from");
  }
}
