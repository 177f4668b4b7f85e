package io.qair.cloud.aws;

import io.qair.cloud.bootstrap.CommonOptions;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options of an EC2 zone: region (the request's, else setting {@code region}),
 * {@code instance-type} (default {@code t3.large}), {@code subnet} (default: the region's default
 * VPC), {@code public-ip} (with a subnet: give the instance a public address, default true; false when
 * the master reaches the subnet privately), {@code ami} (default: the newest official Debian 12 amd64 image), {@code volume-size} in GiB
 * (default 30), {@code bucket} (else setting {@code bucket}: the S3 bucket the agent distribution
 * is published to when no {@code agent-url} is given), and the {@link CommonOptions}.
 */
record Ec2Options(String region, String instanceType, String subnet, boolean publicIp, String ami, int volumeSizeGib,
    String bucket, CommonOptions common) {
  static final Set<String> KEYS = Set.of("instance-type", "subnet", "public-ip", "ami", "volume-size", "bucket");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}");
  private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
  private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
  private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");

  static Ec2Options parse(ZoneRequest request, AdapterContext context) {
    var o = request.options();
    CommonOptions.rejectUnknown("aws", o, KEYS);
    String region = request.region() != null && !request.region().isBlank() ? request.region().strip()
        : context.setting("region").orElse(null);
    if (region == null) {
      throw QairException.badRequest("an aws zone needs a region, e.g. --region eu-central-1");
    }
    if (!REGION.matcher(region).matches()) {
      throw QairException.badRequest("'" + Names.printable(region) + "' is not an AWS region name such as eu-central-1");
    }
    String type = CommonOptions.option(o, context, "instance-type", "instance-type");
    type = type == null ? "t3.large" : type.strip();
    if (!INSTANCE_TYPE.matcher(type).matches()) {
      throw QairException.badRequest("instance-type '" + Names.printable(type)
          + "' is not an EC2 instance type such as m6i.large");
    }
    String subnet = CommonOptions.option(o, context, "subnet", "subnet");
    if (subnet != null && !SUBNET.matcher(subnet.strip()).matches()) {
      throw QairException.badRequest("subnet '" + Names.printable(subnet) + "' is not a subnet id such as subnet-0abc1234");
    }
    String ami = CommonOptions.option(o, context, "ami", "ami");
    if (ami != null && !AMI.matcher(ami.strip()).matches()) {
      throw QairException.badRequest("ami '" + Names.printable(ami) + "' is not an image id such as ami-0abc1234");
    }
    int size = CommonOptions.number(o.get("volume-size"), "volume-size", 8, 16384, 30, "the root volume in GiB");
    String bucket = CommonOptions.option(o, context, "bucket", "bucket");
    if (bucket != null && !BUCKET.matcher(bucket.strip()).matches()) {
      throw QairException.badRequest("bucket '" + Names.printable(bucket) + "' is not an S3 bucket name");
    }
    String publicIp = o.getOrDefault("public-ip", "true").strip();
    if (!publicIp.equals("true") && !publicIp.equals("false")) {
      throw QairException.badRequest("public-ip '" + Names.printable(publicIp) + "' must be true or false");
    }
    return new Ec2Options(region, type, subnet == null ? null : subnet.strip(), publicIp.equals("true"),
        ami == null ? null : ami.strip(), size, bucket == null ? null : bucket.strip(), CommonOptions.parse(o, context));
  }
}
