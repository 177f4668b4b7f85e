package io.qair.cloud.aws;

import io.qair.cloud.bootstrap.AgentDistribution;
import io.qair.cloud.bootstrap.CommonOptions;
import io.qair.cloud.bootstrap.FailedProvision;
import io.qair.cloud.bootstrap.HostSetup;
import io.qair.cloud.bootstrap.Poller;
import io.qair.cloud.bootstrap.ZoneRecords;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.Bootstrap;
import io.qair.cloud.spi.CloudAdapter;
import io.qair.cloud.spi.HostState;
import io.qair.cloud.spi.ProvisionStep;
import io.qair.cloud.spi.ZoneHost;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

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
  public void init(AdapterContext shared) {
    this.context = CommonOptions.forProvider(shared, NAME);
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
      int ttl = CommonOptions.number(context.setting("agent.url-ttl-minutes").orElse(null), "agent.url-ttl-minutes",
          1, 10080, 30, "minutes");
      return new S3AgentStore(s3.build(), presigner.build(),
          java.nio.file.Path.of(context.setting("agent.dist-file").orElse("qair-zone-agent.tar.gz")),
          java.time.Duration.ofMinutes(ttl));
    });
  }

  @Override
  public ZoneHost provision(ZoneRequest request, Bootstrap bootstrap) {
    return provision(request, bootstrap, step -> { });
  }

  @Override
  public ZoneHost provision(ZoneRequest request, Bootstrap bootstrap, Consumer<ProvisionStep> progress) {
    String zone = Names.requireZoneName(request.name());
    Ec2Options o = Ec2Options.parse(request, context);
    boolean publish = o.common().dist() == null;
    if (publish && (o.bucket() == null || context.setting("agent.dist-file").isEmpty())) {
      throw CommonOptions.noDistribution(", or set the adapter setting agent.dist-file to the agent tar.gz and"
          + " --opt bucket=NAME (an S3 bucket in the region) to publish it by a presigned URL");
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
          progress.accept(ProvisionStep.BOOT);
          return waitRunning(ec2, zone, i.instanceId(), o.region());
        }
      }
      Image image = Ec2Launch.image(ec2, o);
      progress.accept(ProvisionStep.FIREWALL);
      String groupId = Ec2Launch.securityGroup(ec2, zone, master, o);
      AgentDistribution dist = publish ? store(o.region()).publish(o.bucket(), zone, master) : o.common().dist();
      String userData = new HostSetup(zone, o.common().agentPort(), bootstrap, dist).cloudConfig();
      progress.accept(ProvisionStep.LAUNCH);
      Instance launched = Ec2Launch.run(ec2, zone, master, o, image, groupId, userData);
      LOG.info("zone {}: EC2 instance {} launched in {}", zone, launched.instanceId(), o.region());
      progress.accept(ProvisionStep.BOOT);
      return waitRunning(ec2, zone, launched.instanceId(), o.region());
    } catch (SdkException e) {
      throw FailedProvision.cleanUp(zone, Ec2Errors.map(e, "creating the zone host", o.region()), this::deprovision);
    } catch (QairException e) {
      throw FailedProvision.cleanUp(zone, e, this::deprovision);
    }
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
      ZoneHost h = Ec2Launch.host(i.get());
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
    return instances(ec2, List.of(Filter.builder().name("tag:" + Ec2Launch.TAG_ZONE).values(zone).build(),
        Filter.builder().name("tag:" + Ec2Launch.TAG_MASTER).values(master).build())).stream()
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
      return liveInstance(client(region), zone, rec.get().get("master")).map(Ec2Launch::host);
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
      List<Filter> mine = List.of(Filter.builder().name("tag:" + Ec2Launch.TAG_ZONE).values(zone).build(),
          Filter.builder().name("tag:" + Ec2Launch.TAG_MASTER).values(master).build());
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
      for (SecurityGroup g : Ec2Launch.groups(ec2, zone, master)) {
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

  private static boolean isZoneName(String s) {
    try {
      Names.requireZoneName(s);
      return true;
    } catch (QairException e) {
      return false;
    }
  }

  /** A host found by tag but not recorded here (the state dir was lost): record it, so it can be removed. */
  private void remember(String zone, String region, String master) {
    if (records.get(zone).isEmpty()) {
      records.put(zone, Map.of("region", region, "master", master));
    }
  }

  /**
   * Every instance tagged with this master in the recorded regions and the settings {@code region}
   * and {@code discover-regions}. A host this adapter has no record of is recorded, so
   * {@link #deprovision} can remove it.
   */
  @Override
  public List<ZoneHost> discover(String masterId) {
    Set<String> regions = new TreeSet<>();
    records.all().forEach(r -> regions.add(r.get("region")));
    context.setting("region").ifPresent(regions::add);
    regions.addAll(CommonOptions.list(context, "discover-regions"));
    List<ZoneHost> out = new ArrayList<>();
    for (String region : regions) {
      try {
        instances(client(region), List.of(Filter.builder().name("tag:" + Ec2Launch.TAG_MASTER).values(masterId).build()))
            .stream().map(Ec2Launch::host).filter(h -> h.zone() != null && isZoneName(h.zone())).forEach(h -> {
              remember(h.zone(), region, masterId);
              out.add(h);
            });
      } catch (SdkException e) {
        throw Ec2Errors.map(e, "listing this master's zone hosts", region);
      }
    }
    return out;
  }
}
