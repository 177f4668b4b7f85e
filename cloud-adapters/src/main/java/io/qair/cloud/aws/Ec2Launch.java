package io.qair.cloud.aws;

import io.qair.cloud.bootstrap.IdempotencyKeys;
import io.qair.cloud.spi.HostState;
import io.qair.cloud.spi.ZoneHost;
import io.qair.protocol.QairException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * The EC2 side of a provision, and how a host is read back: the image, the zone's security group,
 * the RunInstances request (IMDSv2 only, encrypted root volume, tags, ClientToken), and the mapping
 * of an instance to a {@link ZoneHost}.
 */
final class Ec2Launch {
  private static final Logger LOG = LoggerFactory.getLogger(Ec2Launch.class);
  static final String TAG_ZONE = "qair:zone";
  static final String TAG_MASTER = "qair:master";
  static final String TAG_PORT = "qair:agent-port";
  /** The Debian project's AWS account; its images are named {@code debian-12-amd64-DATE-BUILD}. */
  static final String DEBIAN_OWNER = "136693071363";
  static final String DEBIAN_NAME = "debian-12-amd64-*";

  private Ec2Launch() {}

  /**
   * The default VPC gives a public address by itself; in a given subnet the interface asks for one
   * (unless {@code public-ip=false}), as a subnet's own default is often "no".
   */
  private static void network(RunInstancesRequest.Builder r, Ec2Options o, String groupId) {
    if (o.subnet() == null) {
      r.securityGroupIds(groupId);
    } else {
      r.networkInterfaces(InstanceNetworkInterfaceSpecification.builder().deviceIndex(0).subnetId(o.subnet())
          .groups(groupId).associatePublicIpAddress(o.publicIp()).deleteOnTermination(true).build());
    }
  }

  static Image image(Ec2Client ec2, Ec2Options o) {
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
            + DEBIAN_NAME + ") was found in " + o.region() + ": give an AMI with --opt ami=ami-..."));
  }

  static String groupName(String zone, String master) {
    return "qair-" + zone + "-" + IdempotencyKeys.shortHash(master);
  }

  static List<Tag> tags(String zone, String master) {
    return List.of(Tag.builder().key(TAG_ZONE).value(zone).build(), Tag.builder().key(TAG_MASTER).value(master).build(),
        Tag.builder().key("Name").value("qair-" + zone).build());
  }

  static List<SecurityGroup> groups(Ec2Client ec2, String zone, String master) {
    return ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("tag:" + TAG_ZONE).values(zone).build(),
        Filter.builder().name("tag:" + TAG_MASTER).values(master).build())).securityGroups();
  }

  /** The zone's group (made if missing) with exactly one ingress rule: the agent port from allow-from. */
  static String securityGroup(Ec2Client ec2, String zone, String master, Ec2Options o) {
    String id = groups(ec2, zone, master).stream().map(SecurityGroup::groupId).findFirst().orElse(null);
    if (id == null) {
      String vpc = o.subnet() == null ? null
          : ec2.describeSubnets(r -> r.subnetIds(o.subnet())).subnets().stream().findFirst()
              .orElseThrow(() -> QairException.badRequest("subnet " + o.subnet() + " was not found in " + o.region()))
              .vpcId();
      try {
        id = ec2.createSecurityGroup(r -> r.groupName(groupName(zone, master)).vpcId(vpc)
            .description("qair zone " + zone + ": the zone agent port, from the master only")
            .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                .tags(tags(zone, master)).build())).groupId();
        LOG.info("zone {}: security group {} created", zone, id);
      } catch (Ec2Exception e) {
        // made by an earlier attempt whose tags EC2 does not show yet (describe is eventually consistent)
        id = byName(ec2, groupName(zone, master), vpc).orElseThrow(() -> e);
      }
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
  private static Optional<String> byName(Ec2Client ec2, String name, String vpc) {
    List<Filter> filters = new ArrayList<>(List.of(Filter.builder().name("group-name").values(name).build()));
    if (vpc != null) {
      filters.add(Filter.builder().name("vpc-id").values(vpc).build());
    }
    return ec2.describeSecurityGroups(r -> r.filters(filters)).securityGroups().stream().map(SecurityGroup::groupId)
        .findFirst();
  }

  /** The live instance an earlier RunInstances made with this token, if any. */
  private static Optional<Instance> byClientToken(Ec2Client ec2, String token) {
    return ec2.describeInstances(r -> r.filters(Filter.builder().name("client-token").values(token).build()))
        .reservations().stream().flatMap(res -> res.instances().stream())
        .filter(i -> i.state().name() != InstanceStateName.TERMINATED
            && i.state().name() != InstanceStateName.SHUTTING_DOWN)
        .findFirst();
  }

  static Instance run(Ec2Client ec2, String zone, String master, Ec2Options o, Image image, String groupId,
      String userData) {
    List<Tag> tags = new ArrayList<>(tags(zone, master));
    tags.add(Tag.builder().key(TAG_PORT).value(Integer.toString(o.common().agentPort())).build());
    String b64 = Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8));
    String root = image.rootDeviceName() == null ? "/dev/xvda" : image.rootDeviceName();
    for (int attempt = 0; attempt < 20; attempt++) {
      String token = IdempotencyKeys.hex("ec2-run", zone, master, Integer.toString(attempt));
      Instance i;
      try {
        i = ec2.runInstances(r -> r.imageId(image.imageId()).instanceType(o.instanceType())
                .minCount(1).maxCount(1).clientToken(token).userData(b64)
                .applyMutation(r2 -> network(r2, o, groupId))
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)
                    .httpEndpoint(InstanceMetadataEndpointState.ENABLED).httpPutResponseHopLimit(1))
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName(root).ebs(e -> e.encrypted(true)
                    .volumeSize(o.volumeSizeGib()).volumeType(VolumeType.GP3).deleteOnTermination(true)).build())
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                    TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags(zone, master)).build()))
            .instances().get(0);
      } catch (Ec2Exception e) {
        if (e.awsErrorDetails() == null || !"IdempotentParameterMismatch".equals(e.awsErrorDetails().errorCode())) {
          throw e;
        }
        // an earlier attempt (with another enrollment token in its user-data) made an instance with
        // this token: that one is the zone's host; if it is gone, the next token is tried
        Optional<Instance> earlier = byClientToken(ec2, token);
        if (earlier.isPresent()) {
          return earlier.get();
        }
        continue;
      }
      InstanceStateName s = i.state() == null ? InstanceStateName.PENDING : i.state().name();
      if (s != InstanceStateName.TERMINATED && s != InstanceStateName.SHUTTING_DOWN) {
        return i;
      }
    }
    throw QairException.unavailable("EC2 keeps answering with terminated instances for zone " + zone
        + ": wait a day or use another zone name", null);
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

  static Optional<String> tag(Instance i, String key) {
    return i.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
  }
}
