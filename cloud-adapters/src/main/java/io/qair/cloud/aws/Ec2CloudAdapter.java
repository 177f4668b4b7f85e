package io.qair.cloud.aws;

import io.qair.cloud.bootstrap.AgentDistribution;
import io.qair.cloud.bootstrap.CommonOptions;
import io.qair.cloud.bootstrap.HostSetup;
import io.qair.cloud.bootstrap.IdempotencyKeys;
import io.qair.cloud.bootstrap.Poller;
import io.qair.cloud.bootstrap.ZoneRecords;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.HostState;
import io.qair.cloud.spi.ZoneHost;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;

/**
 * A zone host on EC2. Provision: record the zone, find the image, create (or find) the zone's
 * security group opening only the agent port from {@code allow-from}, RunInstances with an
 * idempotency token derived from zone and master, wait until running with an address. Every
 * resource is tagged {@code qair:zone} and {@code qair:master}; a failed provision removes what it
 * made. Settings: {@code region} (default region), {@code endpoint} (EC2 endpoint override, for
 * tests), {@code discover-regions} (comma list searched by discover besides the recorded ones),
 * {@code poll-interval-ms}, {@code boot-timeout-seconds}, {@code agent.dist-url},
 * {@code agent.dist-sha256}, {@code allow-from}, {@code agent.dist-file} (a local agent tar.gz to
 * publish through S3 when no URL is given; needs {@code bucket}), {@code agent.url-ttl-minutes}
 * (how long the presigned URL works, default 30).
 */
public final class Ec2CloudAdapter implements CloudAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(Ec2CloudAdapter.class);
  public static final String NAME = "aws";
  static final String TAG_ZONE = "qair:zone";
  static final String TAG_MASTER = "qair:master";
  static final String TAG_PORT = "qair:agent-port";
  /** The Debian project's AWS account; its images are named {@code debian-12-amd64-DATE-BUILD}. */
  static final String DEBIAN_OWNER = "136693071363";
  static final String DEBIAN_NAME = "debian-12-amd64-*";
  private static final List<String> LIVE_STATES = List.of("pending", "running", "stopping", "stopped", "shutting-down");

  private final Supplier<AwsCredentialsProvider> credentials;
  private final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();
  private final Map<String, S3AgentStore> stores = new ConcurrentHashMap<>();
  private AwsCredentialsProvider provider;
  private SdkHttpClient http;
  private AdapterContext context;
  private ZoneRecords records;
  private Poller poller;
  private URI endpoint;

  /** Credentials from the AWS SDK's default chain. */
  public Ec2CloudAdapter() {
    this(() -> DefaultCredentialsProvider.builder().build());
  }

  /** With given credentials (tests). */
  Ec2CloudAdapter(Supplier<AwsCredentialsProvider> credentials) {
    this.credentials = credentials;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void init(AdapterContext context) {
    this.context = context;
    this.records = new ZoneRecords(context.stateDir());
    this.poller = Poller.fromSettings(context);
    this.endpoint = context.setting("endpoint").map(URI::create).orElse(null);
    this.provider = credentials.get();
    this.http = UrlConnectionHttpClient.create();
  }

  @Override
  public Optional<String> unavailableReason() {
    try {
      provider.resolveCredentials();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("no AWS credentials (" + e.getMessage() + "): configure the AWS SDK default chain"
          + " (aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)");
    }
  }

  Ec2Client client(String region) {
    return clients.computeIfAbsent(region, r -> {
      var b = Ec2Client.builder().region(Region.of(r)).credentialsProvider(provider).httpClient(http);
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      return b.build();
    });
  }

  private S3AgentStore store(String region) {
    return stores.computeIfAbsent(region, r -> {
      var s3 = S3Client.builder().region(Region.of(r)).credentialsProvider(provider).httpClient(http)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
      var presigner = S3Presigner.builder().region(Region.of(r)).credentialsProvider(provider);
      if (endpoint != null) {
        s3.endpointOverride(endpoint).forcePathStyle(true);
        presigner.endpointOverride(endpoint)
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
      }
      String ttl = context.setting("agent.url-ttl-minutes").orElse("30");
      return new S3AgentStore(s3.build(), presigner.build(),
          java.nio.file.Path.of(context.setting("agent.dist-file").orElse("qair-zone-agent.tar.gz")),
          java.time.Duration.ofMinutes(Long.parseLong(ttl.strip())));
    });
  }

  @Override
  public ZoneHost provision(ZoneRequest request, Bootstrap bootstrap) {
    String zone = Names.requireZoneName(request.name());
    Ec2Options o = Ec2Options.parse(request, context);
    boolean publish = o.common().dist() == null;
    if (publish && (o.bucket() == null || context.setting("agent.dist-file").isEmpty())) {
      throw CommonOptions.noDistribution(", or set the adapter setting agent.dist-file to the agent tar.gz and"
          + " --option bucket=NAME (an S3 bucket in the region) to publish it by a presigned URL");
    }
    String master = bootstrap.masterId();
    Map<String, String> rec = new java.util.HashMap<>(Map.of("region", o.region(), "master", master));
    if (publish) {
      rec.put("bucket", o.bucket());
    }
    records.put(zone, rec);
    Ec2Client ec2 = client(o.region());
    try {
      Optional<Instance> existing = liveInstance(ec2, zone, master);
      if (existing.isPresent()) {
        Instance i = existing.get();
        if (i.state().name() == InstanceStateName.STOPPED || i.state().name() == InstanceStateName.STOPPING) {
          return start(zone);
        }
        if (i.state().name() != InstanceStateName.SHUTTING_DOWN) {
          return waitRunning(ec2, zone, i.instanceId(), o.region());
        }
      }
      Image image = image(ec2, o);
      String groupId = securityGroup(ec2, zone, master, o);
      AgentDistribution dist = publish ? store(o.region()).publish(o.bucket(), zone, master) : o.common().dist();
      String userData = new HostSetup(zone, o.common().agentPort(), bootstrap, dist).cloudConfig();
      Instance launched = run(ec2, zone, master, o, image, groupId, userData);
      LOG.info("zone {}: EC2 instance {} launched in {}", zone, launched.instanceId(), o.region());
      return waitRunning(ec2, zone, launched.instanceId(), o.region());
    } catch (SdkException e) {
      throw cleanUpAfter(zone, Ec2Errors.map(e, "creating the zone host", o.region()));
    } catch (QairException e) {
      throw cleanUpAfter(zone, e);
    }
  }

  private QairException cleanUpAfter(String zone, QairException failure) {
    try {
      deprovision(zone);
    } catch (RuntimeException e) {
      LOG.warn("zone {}: cleaning up after a failed provision failed too: {}", zone, e.toString());
      failure.addSuppressed(e);
    }
    return failure;
  }

  private Image image(Ec2Client ec2, Ec2Options o) {
    if (o.ami() != null) {
      List<Image> found = ec2.describeImages(r -> r.imageIds(o.ami())).images();
      if (found.isEmpty()) {
        throw QairException.badRequest("AMI " + o.ami() + " was not found in " + o.region()
            + ": give an image id of this region, or leave ami unset for the newest Debian 12");
      }
      return found.get(0);
    }
    return ec2.describeImages(r -> r.owners(DEBIAN_OWNER).filters(
            Filter.builder().name("name").values(DEBIAN_NAME).build(),
            Filter.builder().name("architecture").values("x86_64").build(),
            Filter.builder().name("state").values("available").build()))
        .images().stream().max(Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate()))
        .orElseThrow(() -> QairException.badRequest("no Debian 12 image (owner " + DEBIAN_OWNER + ", name "
            + DEBIAN_NAME + ") was found in " + o.region() + ": give an AMI with --option ami=ami-..."));
  }

  static String groupName(String zone, String master) {
    return "qair-" + zone + "-" + IdempotencyKeys.shortHash(master);
  }

  private List<Tag> tags(String zone, String master) {
    return List.of(Tag.builder().key(TAG_ZONE).value(zone).build(), Tag.builder().key(TAG_MASTER).value(master).build(),
        Tag.builder().key("Name").value("qair-" + zone).build());
  }

  private List<SecurityGroup> groups(Ec2Client ec2, String zone, String master) {
    return ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("tag:" + TAG_ZONE).values(zone).build(),
        Filter.builder().name("tag:" + TAG_MASTER).values(master).build())).securityGroups();
  }

  /** The zone's group (made if missing) with exactly one ingress rule: the agent port from allow-from. */
  private String securityGroup(Ec2Client ec2, String zone, String master, Ec2Options o) {
    String id = groups(ec2, zone, master).stream().map(SecurityGroup::groupId).findFirst().orElse(null);
    if (id == null) {
      String vpc = o.subnet() == null ? null
          : ec2.describeSubnets(r -> r.subnetIds(o.subnet())).subnets().stream().findFirst()
              .orElseThrow(() -> QairException.badRequest("subnet " + o.subnet() + " was not found in " + o.region()))
              .vpcId();
      id = ec2.createSecurityGroup(r -> r.groupName(groupName(zone, master)).vpcId(vpc)
          .description("qair zone " + zone + ": the zone agent port, from the master only")
          .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
              .tags(tags(zone, master)).build())).groupId();
      LOG.info("zone {}: security group {} created", zone, id);
    }
    String groupId = id;
    try {
      ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(IpPermission.builder().ipProtocol("tcp")
          .fromPort(o.common().agentPort()).toPort(o.common().agentPort())
          .ipRanges(IpRange.builder().cidrIp(o.common().allowFrom()).description("qair master").build()).build()));
    } catch (Ec2Exception e) {
      if (e.awsErrorDetails() == null || !"InvalidPermission.Duplicate".equals(e.awsErrorDetails().errorCode())) {
        throw e;
      }
    }
    return groupId;
  }

  /**
   * RunInstances with a ClientToken from zone and master, so a repeat after a crash returns the same
   * instance. Within a day of removing a zone EC2 answers a reused token with the terminated
   * instance: then the next attempt's token is tried, the same sequence every time.
   */
  private Instance run(Ec2Client ec2, String zone, String master, Ec2Options o, Image image, String groupId,
      String userData) {
    List<Tag> tags = new ArrayList<>(tags(zone, master));
    tags.add(Tag.builder().key(TAG_PORT).value(Integer.toString(o.common().agentPort())).build());
    String b64 = Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8));
    String root = image.rootDeviceName() == null ? "/dev/xvda" : image.rootDeviceName();
    for (int attempt = 0; attempt < 20; attempt++) {
      String token = IdempotencyKeys.hex("ec2-run", zone, master, Integer.toString(attempt));
      Instance i = ec2.runInstances(r -> r.imageId(image.imageId()).instanceType(o.instanceType())
              .minCount(1).maxCount(1).clientToken(token).userData(b64)
              .securityGroupIds(groupId).subnetId(o.subnet())
              .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)
                  .httpEndpoint(InstanceMetadataEndpointState.ENABLED).httpPutResponseHopLimit(1))
              .blockDeviceMappings(BlockDeviceMapping.builder().deviceName(root).ebs(e -> e.encrypted(true)
                  .volumeSize(o.volumeSizeGib()).volumeType(VolumeType.GP3).deleteOnTermination(true)).build())
              .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                  TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags(zone, master)).build()))
          .instances().get(0);
      InstanceStateName s = i.state() == null ? InstanceStateName.PENDING : i.state().name();
      if (s != InstanceStateName.TERMINATED && s != InstanceStateName.SHUTTING_DOWN) {
        return i;
      }
    }
    throw QairException.unavailable("EC2 keeps answering with terminated instances for zone " + zone
        + ": wait a day or use another zone name", null);
  }

  private ZoneHost waitRunning(Ec2Client ec2, String zone, String instanceId, String region) {
    Optional<ZoneHost> up = poller.until(() -> {
      Optional<Instance> i = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
          .flatMap(res -> res.instances().stream()).findFirst();
      if (i.isEmpty()) {
        throw QairException.unavailable("EC2 instance " + instanceId + " of zone " + zone + " vanished", null);
      }
      InstanceStateName s = i.get().state().name();
      if (s == InstanceStateName.TERMINATED || s == InstanceStateName.SHUTTING_DOWN) {
        throw QairException.unavailable("EC2 instance " + instanceId + " of zone " + zone + " was terminated while"
            + " booting (" + reason(i.get()) + "): check the instance type and image in " + region, null);
      }
      ZoneHost h = host(i.get());
      return h.state() == HostState.RUNNING && h.address() != null ? Optional.of(h) : Optional.empty();
    });
    return up.orElseThrow(() -> QairException.unavailable("EC2 instance " + instanceId + " of zone " + zone
        + " did not reach running with an address within " + poller.timeout().toSeconds() + " s: it is removed;"
        + " try again or another region", null));
  }

  private static String reason(Instance i) {
    return i.stateReason() != null && i.stateReason().message() != null ? i.stateReason().message() : "no reason given";
  }

  private Optional<Instance> liveInstance(Ec2Client ec2, String zone, String master) {
    return instances(ec2, List.of(Filter.builder().name("tag:" + TAG_ZONE).values(zone).build(),
        Filter.builder().name("tag:" + TAG_MASTER).values(master).build())).stream()
        .max(Comparator.comparing(i -> i.launchTime() == null ? java.time.Instant.EPOCH : i.launchTime()));
  }

  private List<Instance> instances(Ec2Client ec2, List<Filter> filters) {
    List<Filter> all = new ArrayList<>(filters);
    all.add(Filter.builder().name("instance-state-name").values(LIVE_STATES).build());
    List<Instance> out = new ArrayList<>();
    ec2.describeInstancesPaginator(r -> r.filters(all)).reservations()
        .forEach(res -> out.addAll(res.instances()));
    return out;
  }

  static ZoneHost host(Instance i) {
    String zone = tag(i, TAG_ZONE).orElse(null);
    int port = tag(i, TAG_PORT).map(Integer::parseInt).orElse(io.qair.cloud.bootstrap.CommonOptions.DEFAULT_AGENT_PORT);
    String ip = i.publicIpAddress() != null ? i.publicIpAddress() : i.privateIpAddress();
    HostState state = switch (i.state().name()) {
      case PENDING -> HostState.PROVISIONING;
      case RUNNING -> HostState.RUNNING;
      case STOPPING, STOPPED -> HostState.STOPPED;
      case SHUTTING_DOWN, TERMINATED -> HostState.TERMINATING;
      default -> HostState.UNKNOWN;
    };
    return new ZoneHost(zone, ip == null ? null : ip + ":" + port, i.instanceId(), state);
  }

  private static Optional<String> tag(Instance i, String key) {
    return i.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
  }

  /** The zone's recorded region and master, or empty when this adapter never provisioned it. */
  private Optional<Map<String, String>> record(String zone) {
    return records.get(Names.requireZoneName(zone));
  }

  @Override
  public Optional<ZoneHost> describe(String zone) {
    Optional<Map<String, String>> rec = record(zone);
    if (rec.isEmpty()) {
      return Optional.empty();
    }
    String region = rec.get().get("region");
    try {
      return liveInstance(client(region), zone, rec.get().get("master")).map(Ec2CloudAdapter::host);
    } catch (SdkException e) {
      throw Ec2Errors.map(e, "describing zone " + zone, region);
    }
  }

  @Override
  public ZoneHost start(String zone) {
    Map<String, String> rec = record(zone).orElseThrow(() -> QairException.notFound("aws zone '" + zone + "' has no host to start"));
    String region = rec.get("region");
    Ec2Client ec2 = client(region);
    try {
      Instance i = liveInstance(ec2, zone, rec.get("master"))
          .orElseThrow(() -> QairException.notFound("aws zone '" + zone + "' has no host to start"));
      if (i.state().name() == InstanceStateName.STOPPING) {
        poller.until(() -> liveInstance(ec2, zone, rec.get("master"))
            .filter(x -> x.state().name() != InstanceStateName.STOPPING));
      }
      if (i.state().name() != InstanceStateName.RUNNING && i.state().name() != InstanceStateName.PENDING) {
        ec2.startInstances(r -> r.instanceIds(i.instanceId()));
      }
      return waitRunning(ec2, zone, i.instanceId(), region);
    } catch (SdkException e) {
      throw Ec2Errors.map(e, "starting zone " + zone, region);
    }
  }

  @Override
  public void stop(String zone) {
    Map<String, String> rec = record(zone).orElse(null);
    if (rec == null) {
      return;
    }
    String region = rec.get("region");
    Ec2Client ec2 = client(region);
    try {
      Optional<Instance> i = liveInstance(ec2, zone, rec.get("master"));
      if (i.isEmpty()) {
        return;
      }
      ec2.stopInstances(r -> r.instanceIds(i.get().instanceId()));
      poller.until(() -> liveInstance(ec2, zone, rec.get("master"))
          .filter(x -> x.state().name() == InstanceStateName.STOPPED));
    } catch (SdkException e) {
      throw Ec2Errors.map(e, "stopping zone " + zone, region);
    }
  }

  /** Terminates the zone's instances, waits for them to go, then deletes its security groups. */
  @Override
  public void deprovision(String zone) {
    Map<String, String> rec = record(zone).orElse(null);
    if (rec == null) {
      return;
    }
    String region = rec.get("region");
    String master = rec.get("master");
    Ec2Client ec2 = client(region);
    try {
      List<Filter> mine = List.of(Filter.builder().name("tag:" + TAG_ZONE).values(zone).build(),
          Filter.builder().name("tag:" + TAG_MASTER).values(master).build());
      List<String> ids = instances(ec2, mine).stream().map(Instance::instanceId).toList();
      if (!ids.isEmpty()) {
        ec2.terminateInstances(r -> r.instanceIds(ids));
        LOG.info("zone {}: terminating {}", zone, ids);
        boolean gone = poller.until(() -> instances(ec2, mine).isEmpty() ? Optional.of(true) : Optional.empty()).isPresent();
        if (!gone) {
          throw QairException.unavailable("EC2 instances " + ids + " of zone " + zone + " did not terminate within "
              + poller.timeout().toSeconds() + " s: run qair zone rm again later", null);
        }
      }
      for (SecurityGroup g : groups(ec2, zone, master)) {
        ec2.deleteSecurityGroup(r -> r.groupId(g.groupId()));
        LOG.info("zone {}: security group {} deleted", zone, g.groupId());
      }
      if (rec.get("bucket") != null) {
        store(region).remove(rec.get("bucket"), zone, master);
      }
    } catch (SdkException e) {
      throw Ec2Errors.map(e, "removing zone " + zone, region);
    }
    records.remove(zone);
  }

  @Override
  public List<ZoneHost> discover(String masterId) {
    Set<String> regions = new TreeSet<>();
    records.all().forEach(r -> regions.add(r.get("region")));
    context.setting("region").ifPresent(regions::add);
    context.setting("discover-regions").ifPresent(s -> {
      for (String r : s.split(",")) {
        if (!r.isBlank()) {
          regions.add(r.strip());
        }
      }
    });
    List<ZoneHost> out = new ArrayList<>();
    for (String region : regions) {
      try {
        instances(client(region), List.of(Filter.builder().name("tag:" + TAG_MASTER).values(masterId).build()))
            .stream().map(Ec2CloudAdapter::host).filter(h -> h.zone() != null).forEach(out::add);
      } catch (SdkException e) {
        throw Ec2Errors.map(e, "listing this master's zone hosts", region);
      }
    }
    return out;
  }
}
