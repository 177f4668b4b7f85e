package io.qair.cloud.gcp;

import io.qair.cloud.bootstrap.CommonOptions;
import io.qair.cloud.spi.AdapterContext;
import io.qair.cloud.spi.ZoneRequest;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options of a GCE zone: the Compute Engine zone (the request's region, e.g.
 * {@code us-central1-a}), {@code project} (else setting {@code project}), {@code machine-type}
 * (default {@code e2-standard-4}), {@code network} (default {@code default}), {@code subnet} (a
 * subnetwork of the zone's region), {@code image} (default: the newest image of family
 * {@code debian-12} in {@code debian-cloud}), {@code disk-size} in GB (default 30), {@code bucket}
 * (else setting {@code bucket}: the Cloud Storage bucket the agent distribution is published to when
 * no {@code agent-url} is given), and the {@link CommonOptions}.
 */
record GceOptions(String project, String gceZone, String machineType, String network, String subnet, String image,
    int diskSizeGb, String bucket, CommonOptions common) {
  static final Set<String> KEYS = Set.of("project", "machine-type", "network", "subnet", "image", "disk-size", "bucket");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");

  /** Only where a zone is (for error messages about a recorded zone). */
  static GceOptions where(String project, String gceZone) {
    return new GceOptions(project, gceZone, null, null, null, null, 0, null, null);
  }
  private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z][a-z0-9.-]*:[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern ZONE = Pattern.compile("[a-z]+-[a-z]+\\d+-[a-z]");
  private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern IMAGE = Pattern.compile("(https://www\\.googleapis\\.com/compute/v1/)?projects/[a-z][-a-z0-9.:]*/global/images/(family/)?[a-z][-a-z0-9]*");

  /** The region a Compute Engine zone is in: {@code us-central1-a} is in {@code us-central1}. */
  String gceRegion() {
    return gceZone.substring(0, gceZone.lastIndexOf('-'));
  }

  static GceOptions parse(ZoneRequest request, AdapterContext context) {
    var o = request.options();
    CommonOptions.rejectUnknown("gcp", o, KEYS);
    String zone = request.region() != null && !request.region().isBlank() ? request.region().strip()
        : context.setting("zone").orElse(null);
    if (zone == null) {
      throw QairException.badRequest("a gcp zone needs a Compute Engine zone as its region, e.g. --region us-central1-a");
    }
    if (!ZONE.matcher(zone).matches()) {
      throw QairException.badRequest("'" + Names.printable(zone) + "' is not a Compute Engine zone such as us-central1-a");
    }
    String project = CommonOptions.option(o, context, "project", "project");
    if (project == null) {
      throw QairException.badRequest("a gcp zone needs a project: --opt project=my-project (or the adapter setting project)");
    }
    project = project.strip();
    if (!PROJECT.matcher(project).matches()) {
      throw QairException.badRequest("'" + Names.printable(project) + "' is not a Google Cloud project id");
    }
    String type = name(o.getOrDefault("machine-type", context.setting("machine-type").orElse("e2-standard-4")),
        "machine-type", "e2-standard-4");
    String network = name(o.getOrDefault("network", "default"), "network", "default");
    String subnet = o.containsKey("subnet") ? name(o.get("subnet"), "subnet", "my-subnet") : null;
    String image = o.get("image");
    if (image != null && !IMAGE.matcher(image.strip()).matches()) {
      throw QairException.badRequest("image '" + Names.printable(image) + "' must be projects/PROJECT/global/images/NAME"
          + " or projects/PROJECT/global/images/family/FAMILY");
    }
    int size = CommonOptions.number(o.get("disk-size"), "disk-size", 10, 65536, 30, "the boot disk in GB");
    String bucket = CommonOptions.option(o, context, "bucket", "bucket");
    if (bucket != null && !BUCKET.matcher(bucket.strip()).matches()) {
      throw QairException.badRequest("bucket '" + Names.printable(bucket) + "' is not a Cloud Storage bucket name");
    }
    return new GceOptions(project, zone, type, network, subnet, image == null ? null : image.strip(), size,
        bucket == null ? null : bucket.strip(), CommonOptions.parse(o, context));
  }

  private static String name(String untrusted, String what, String example) {
    String v = untrusted.strip();
    if (!NAME.matcher(v).matches()) {
      throw QairException.badRequest(what + " '" + Names.printable(untrusted) + "' is not a Compute Engine name such as "
          + example);
    }
    return v;
  }
}
