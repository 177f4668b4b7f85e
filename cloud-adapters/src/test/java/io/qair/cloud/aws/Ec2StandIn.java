package io.qair.cloud.aws;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import io.qair.cloud.bootstrap.WireMockStandIn;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * EC2 on loopback: the query protocol in, XML out, with instances (pending, running, stopping,
 * stopped, shutting-down, terminated; each DescribeInstances moves a transition one step),
 * security groups with ingress rules and the DependencyViolation of a group still in use, images,
 * subnets, tags, filters and ClientToken idempotency. Faults: {@code failNext("RunInstances",
 * "InstanceLimitExceeded")}.
 */
public final class Ec2StandIn extends WireMockStandIn {
  static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
  static final String SUBNET = "subnet-0123456789abcdef0";
  static final String VPC = "vpc-0123456789abcdef0";
  /** As a fault: the operation happens, but its answer is an InternalError (the SDK retries). */
  public static final String ANSWER_LOST = "AnswerLost";
  static final String NEWEST_DEBIAN = "ami-0000000000000b002";

  /** An instance as the stand-in keeps it. */
  public static final class Inst {
    public final String id;
    public final Map<String, String> params;
    public final Map<String, String> tags = new LinkedHashMap<>();
    public String state = "pending";
    int countdown;
    public String publicIp;
    public String privateIp;
    /** The region of the request that made it (from the SigV4 credential scope). */
    public String region;
    final Instant launched = Instant.now();

    Inst(String id, Map<String, String> params) {
      this.id = id;
      this.params = params;
    }
  }

  /** A security group. */
  public static final class Group {
    public final String id;
    public final String name;
    public final String vpc;
    public final Map<String, String> tags = new LinkedHashMap<>();
    public final List<String> ingress = new ArrayList<>();

    Group(String id, String name, String vpc) {
      this.id = id;
      this.name = name;
      this.vpc = vpc;
    }
  }

  static final String BUCKET = "qair-agents";
  private final Map<String, byte[]> objects = new LinkedHashMap<>();
  private final Map<String, Inst> instances = new LinkedHashMap<>();
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final List<Map<String, String>> images = new ArrayList<>();
  private int next = 1;
  /** The region of the request being served; instances are kept per region, as in EC2. */
  private String region;
  /** How many DescribeInstances a transition takes; {@link Integer#MAX_VALUE} never finishes. */
  private int bootDescribes = 1;
  private boolean tagsHidden;
  private String fixedPublicIp;

  public Ec2StandIn() {
    super("ec2");
    images.add(Map.of("imageId", "ami-0000000000000b001", "name", "debian-12-amd64-20250101-1980",
        "creationDate", "2025-01-01T10:00:00.000Z", "architecture", "x86_64", "owner", Ec2Launch.DEBIAN_OWNER));
    images.add(Map.of("imageId", NEWEST_DEBIAN, "name", "debian-12-amd64-20260201-2000",
        "creationDate", "2026-02-01T10:00:00.000Z", "architecture", "x86_64", "owner", Ec2Launch.DEBIAN_OWNER));
    images.add(Map.of("imageId", "ami-0000000000000c001", "name", "debian-12-amd64-20270101-9999",
        "creationDate", "2027-01-01T10:00:00.000Z", "architecture", "x86_64", "owner", "999999999999"));
  }

  /**
   * An initialised aws adapter that talks to this stand-in with test credentials, for tests outside
   * this package (the master's); {@code settings} add to or override the stand-in's endpoint.
   */
  public io.qair.cloud.spi.CloudAdapter adapter(java.nio.file.Path stateDir, Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(Map.of("endpoint", baseUrl()));
    all.putAll(settings);
    Ec2CloudAdapter a = new Ec2CloudAdapter(() -> software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
        .create(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDQAIRTEST", "not-a-secret")));
    a.init(new io.qair.cloud.spi.AdapterContext(stateDir, all));
    return a;
  }

  /** No Debian images at all (image not found). */
  public synchronized void removeImages() {
    images.clear();
  }

  /** Tag filters match nothing, as for resources EC2's describe calls do not show yet. */
  public synchronized void hideTags() {
    tagsHidden = true;
  }

  /**
   * Every instance that reaches running gets this public address (e.g. {@code 127.0.0.1}, for a
   * test that runs the zone agents of the instances on loopback).
   */
  public synchronized void publicIp(String ip) {
    fixedPublicIp = ip;
  }

  /** Instances never leave pending (boot timeout). */
  public synchronized void neverBoot() {
    bootDescribes = Integer.MAX_VALUE;
  }

  public synchronized List<Inst> instances() {
    return List.copyOf(instances.values());
  }

  /** Instances not terminated. */
  public synchronized List<Inst> liveInstances() {
    return instances.values().stream().filter(i -> !i.state.equals("terminated")).toList();
  }

  public synchronized List<Group> groups() {
    return List.copyOf(groups.values());
  }

  /** S3 objects, keyed {@code bucket/key}. */
  public synchronized Map<String, byte[]> objects() {
    return Map.copyOf(objects);
  }

  /** S3 on the same server (path style): PUT, GET, DELETE of objects in bucket {@link #BUCKET}. */
  private ResponseDefinition s3(Request request) {
    String path = java.net.URI.create(request.getUrl()).getPath().substring(1);
    String method = request.getMethod().getName();
    String op = switch (method) {
      case "PUT" -> "s3.PutObject";
      case "DELETE" -> "s3.DeleteObject";
      default -> "s3.GetObject";
    };
    record(new Call(op, Map.of("path", path, "url", request.getUrl()), null));
    String fault = takeFault(op);
    if (fault != null) {
      return s3Error(fault.equals("NoSuchBucket") ? 404 : 403, fault);
    }
    if (!path.startsWith(BUCKET + "/")) {
      return s3Error(404, "NoSuchBucket");
    }
    return switch (method) {
      case "PUT" -> {
        String sha = request.getHeader("x-amz-content-sha256");
        objects.put(path, sha != null && sha.startsWith("STREAMING-") ? unchunk(request.getBody()) : request.getBody());
        yield com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200).withHeader("ETag", "\"1\"").build();
      }
      case "DELETE" -> {
        objects.remove(path);
        yield com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204).build();
      }
      default -> objects.containsKey(path)
          ? com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200).withBody(objects.get(path)).build()
          : s3Error(404, "NoSuchKey");
    };
  }

  /** Decodes an aws-chunked body (what the SDK signs chunk by chunk over plain http). */
  static byte[] unchunk(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int pos = 0;
    while (pos < body.length) {
      int eol = pos;
      while (body[eol] != '\r') {
        eol++;
      }
      String header = new String(body, pos, eol - pos, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(header.split(";")[0], 16);
      if (size == 0) {
        break;
      }
      out.write(body, eol + 2, size);
      pos = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static ResponseDefinition s3Error(int status, String code) {
    return answer(status, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
        + "</Code><Message>" + code + " (the stand-in)</Message><RequestId>1</RequestId></Error>");
  }

  @Override
  protected ResponseDefinition serve(Request request) {
    if (!java.net.URI.create(request.getUrl()).getPath().equals("/")) {
      return s3(request);
    }
    Map<String, String> p = form(request.getBodyAsString());
    java.util.regex.Matcher scope = java.util.regex.Pattern.compile("/\\d{8}/([a-z0-9-]+)/ec2/")
        .matcher(String.valueOf(request.getHeader("Authorization")));
    region = scope.find() ? scope.group(1) : "?";
    String action = p.getOrDefault("Action", "?");
    record(new Call(action, p, request.getBodyAsString()));
    String fault = takeFault(action);
    if (fault != null && !fault.equals(ANSWER_LOST)) {
      return error(fault, "injected by the stand-in");
    }
    ResponseDefinition answer = switch (action) {
      case "DescribeImages" -> describeImages(p);
      case "DescribeSubnets" -> describeSubnets(p);
      case "CreateSecurityGroup" -> createSecurityGroup(p);
      case "AuthorizeSecurityGroupIngress" -> authorize(p);
      case "DescribeSecurityGroups" -> describeSecurityGroups(p);
      case "DeleteSecurityGroup" -> deleteSecurityGroup(p);
      case "RunInstances" -> runInstances(p);
      case "DescribeInstances" -> describeInstances(p);
      case "StartInstances" -> change(p, action, "stopped", "pending");
      case "StopInstances" -> change(p, action, "running", "stopping");
      case "TerminateInstances" -> change(p, action, null, "shutting-down");
      default -> error("InvalidAction", "the stand-in does not know " + action);
    };
    return fault == null ? answer : error("InternalError", "the answer was lost (injected by the stand-in)");
  }

  private ResponseDefinition describeImages(Map<String, String> p) {
    List<String> ids = list(p, "ImageId");
    List<String> owners = list(p, "Owner");
    Map<String, List<String>> filters = filters(p);
    StringBuilder items = new StringBuilder();
    for (Map<String, String> img : images) {
      boolean match = (ids.isEmpty() || ids.contains(img.get("imageId")))
          && (owners.isEmpty() || owners.contains(img.get("owner")))
          && matches(filters, f -> switch (f) {
            case "name" -> img.get("name");
            case "architecture" -> img.get("architecture");
            case "state" -> "available";
            default -> null;
          });
      if (match) {
        items.append("<item><imageId>").append(img.get("imageId")).append("</imageId><name>").append(img.get("name"))
            .append("</name><creationDate>").append(img.get("creationDate")).append("</creationDate>")
            .append("<imageState>available</imageState><architecture>").append(img.get("architecture"))
            .append("</architecture><imageOwnerId>").append(img.get("owner"))
            .append("</imageOwnerId><rootDeviceName>/dev/xvda</rootDeviceName></item>");
      }
    }
    if (!ids.isEmpty() && items.isEmpty()) {
      return error("InvalidAMIID.NotFound", "The image id '[" + ids.get(0) + "]' does not exist");
    }
    return ok("DescribeImages", "<imagesSet>" + items + "</imagesSet>");
  }

  private ResponseDefinition describeSubnets(Map<String, String> p) {
    List<String> ids = list(p, "SubnetId");
    if (!ids.isEmpty() && !ids.equals(List.of(SUBNET))) {
      return error("InvalidSubnetID.NotFound", "The subnet ID '" + ids.get(0) + "' does not exist");
    }
    return ok("DescribeSubnets", "<subnetSet><item><subnetId>" + SUBNET + "</subnetId><vpcId>" + VPC
        + "</vpcId><availabilityZone>eu-central-1a</availabilityZone></item></subnetSet>");
  }

  private ResponseDefinition createSecurityGroup(Map<String, String> p) {
    String name = p.get("GroupName");
    String vpc = p.getOrDefault("VpcId", "vpc-default");
    for (Group g : groups.values()) {
      if (g.name.equals(name) && g.vpc.equals(vpc)) {
        return error("InvalidGroup.Duplicate", "The security group '" + name + "' already exists");
      }
    }
    Group g = new Group(String.format("sg-%017x", next++), name, vpc);
    g.tags.putAll(tags(p, "TagSpecification.1."));
    groups.put(g.id, g);
    return ok("CreateSecurityGroup", "<return>true</return><groupId>" + g.id + "</groupId>");
  }

  private ResponseDefinition authorize(Map<String, String> p) {
    Group g = groups.get(p.get("GroupId"));
    if (g == null) {
      return error("InvalidGroup.NotFound", "The security group '" + p.get("GroupId") + "' does not exist");
    }
    String rule = p.get("IpPermissions.1.IpProtocol") + ":" + p.get("IpPermissions.1.FromPort") + "-"
        + p.get("IpPermissions.1.ToPort") + ":" + p.get("IpPermissions.1.IpRanges.1.CidrIp");
    if (g.ingress.contains(rule)) {
      return error("InvalidPermission.Duplicate", "the specified rule already exists");
    }
    g.ingress.add(rule);
    return ok("AuthorizeSecurityGroupIngress", "<return>true</return>");
  }

  private ResponseDefinition describeSecurityGroups(Map<String, String> p) {
    Map<String, List<String>> filters = filters(p);
    StringBuilder items = new StringBuilder();
    for (Group g : groups.values()) {
      if (matches(filters, f -> f.startsWith("tag:") ? (tagsHidden ? null : g.tags.get(f.substring(4)))
          : f.equals("group-name") ? g.name : f.equals("vpc-id") ? g.vpc : null)) {
        items.append("<item><ownerId>123456789012</ownerId><groupId>").append(g.id).append("</groupId><groupName>")
            .append(xml(g.name)).append("</groupName><vpcId>").append(g.vpc).append("</vpcId>")
            .append(tagSet(g.tags)).append("</item>");
      }
    }
    return ok("DescribeSecurityGroups", "<securityGroupInfo>" + items + "</securityGroupInfo>");
  }

  private ResponseDefinition deleteSecurityGroup(Map<String, String> p) {
    Group g = groups.get(p.get("GroupId"));
    if (g == null) {
      return error("InvalidGroup.NotFound", "The security group '" + p.get("GroupId") + "' does not exist");
    }
    for (Inst i : instances.values()) {
      if (!i.state.equals("terminated") && g.id.equals(group(i.params))) {
        return error("DependencyViolation", "resource " + g.id + " has a dependent object");
      }
    }
    groups.remove(g.id);
    return ok("DeleteSecurityGroup", "<return>true</return><groupId>" + g.id + "</groupId>");
  }

  private ResponseDefinition runInstances(Map<String, String> p) {
    String token = p.get("ClientToken");
    for (Inst i : instances.values()) {
      if (token != null && token.equals(i.params.get("ClientToken"))) {
        if (!Objects.equals(i.params.get("UserData"), p.get("UserData"))) {
          return error("IdempotentParameterMismatch", "The client token you have provided is associated with a"
              + " resource that is already deleted or has different parameters");
        }
        return ok("RunInstances", "<reservationId>r-1</reservationId><ownerId>123456789012</ownerId><instancesSet>"
            + item(i) + "</instancesSet>");
      }
    }
    String image = p.get("ImageId");
    if (images.stream().noneMatch(img -> img.get("imageId").equals(image))) {
      return error("InvalidAMIID.NotFound", "The image id '[" + image + "]' does not exist");
    }
    String sg = group(p);
    if (sg != null && !groups.containsKey(sg)) {
      return error("InvalidGroup.NotFound", "The security group '" + sg + "' does not exist");
    }
    Inst i = new Inst(String.format("i-%017x", next++), p);
    i.region = region;
    i.countdown = bootDescribes;
    for (int n = 1; p.containsKey("TagSpecification." + n + ".ResourceType"); n++) {
      if (p.get("TagSpecification." + n + ".ResourceType").equals("instance")) {
        i.tags.putAll(tags(p, "TagSpecification." + n + "."));
      }
    }
    instances.put(i.id, i);
    return ok("RunInstances", "<reservationId>r-1</reservationId><ownerId>123456789012</ownerId><instancesSet>"
        + item(i) + "</instancesSet>");
  }

  /** The instance's security group, given directly or on its network interface. */
  static String group(Map<String, String> run) {
    return run.getOrDefault("SecurityGroupId.1", run.get("NetworkInterface.1.SecurityGroupId.1"));
  }

  private ResponseDefinition describeInstances(Map<String, String> p) {
    for (Inst i : instances.values()) {
      if (List.of("pending", "stopping", "shutting-down").contains(i.state) && --i.countdown <= 0) {
        i.state = switch (i.state) {
          case "pending" -> "running";
          case "stopping" -> "stopped";
          default -> "terminated";
        };
        if (i.state.equals("running")) {
          int n = Integer.parseInt(i.id.substring(2), 16);
          i.privateIp = "10.0.0." + (n % 250 + 2);
          i.publicIp = "false".equals(i.params.get("NetworkInterface.1.AssociatePublicIpAddress")) ? null
              : fixedPublicIp != null ? fixedPublicIp : "198.51.100." + (n % 250 + 2);
        } else if (i.state.equals("stopped")) {
          i.publicIp = null;
        }
      }
    }
    List<String> ids = list(p, "InstanceId");
    Map<String, List<String>> filters = filters(p);
    StringBuilder items = new StringBuilder();
    for (Inst i : instances.values()) {
      if (i.region.equals(region) && (ids.isEmpty() || ids.contains(i.id))
          && matches(filters, f -> f.startsWith("tag:") ? (tagsHidden ? null : i.tags.get(f.substring(4)))
              : f.equals("instance-state-name") ? i.state : f.equals("client-token") ? i.params.get("ClientToken")
              : null)) {
        items.append(item(i));
      }
    }
    String body = items.isEmpty() ? "<reservationSet/>" : "<reservationSet><item><reservationId>r-1</reservationId>"
        + "<ownerId>123456789012</ownerId><instancesSet>" + items + "</instancesSet></item></reservationSet>";
    return ok("DescribeInstances", body);
  }

  private ResponseDefinition change(Map<String, String> p, String action, String from, String to) {
    StringBuilder items = new StringBuilder();
    for (String id : list(p, "InstanceId")) {
      Inst i = instances.get(id);
      if (i == null) {
        return error("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
      }
      if (from != null && !i.state.equals(from) && !i.state.equals(to)) {
        return error("IncorrectInstanceState", "The instance '" + id + "' is not in a state from which it can be "
            + action);
      }
      String before = i.state;
      if (!i.state.equals("terminated")) {
        i.state = to;
        i.countdown = to.equals("pending") ? bootDescribes : 1;
      }
      items.append("<item><instanceId>").append(id).append("</instanceId><currentState>").append(state(i.state))
          .append("</currentState><previousState>").append(state(before)).append("</previousState></item>");
    }
    return ok(action, "<instancesSet>" + items + "</instancesSet>");
  }

  private String item(Inst i) {
    StringBuilder s = new StringBuilder("<item><instanceId>").append(i.id).append("</instanceId><imageId>")
        .append(i.params.get("ImageId")).append("</imageId><instanceState>").append(state(i.state))
        .append("</instanceState><instanceType>").append(xml(i.params.get("InstanceType")))
        .append("</instanceType><launchTime>").append(i.launched).append("</launchTime>");
    if (i.privateIp != null) {
      s.append("<privateIpAddress>").append(i.privateIp).append("</privateIpAddress>");
    }
    if (i.publicIp != null) {
      s.append("<ipAddress>").append(i.publicIp).append("</ipAddress>");
    }
    if (i.params.get("ClientToken") != null) {
      s.append("<clientToken>").append(xml(i.params.get("ClientToken"))).append("</clientToken>");
    }
    return s.append(tagSet(i.tags)).append("</item>").toString();
  }

  private static String state(String name) {
    int code = switch (name) {
      case "pending" -> 0;
      case "running" -> 16;
      case "shutting-down" -> 32;
      case "terminated" -> 48;
      case "stopping" -> 64;
      default -> 80;
    };
    return "<code>" + code + "</code><name>" + name + "</name>";
  }

  private static String tagSet(Map<String, String> tags) {
    StringBuilder s = new StringBuilder("<tagSet>");
    tags.forEach((k, v) -> s.append("<item><key>").append(xml(k)).append("</key><value>").append(xml(v))
        .append("</value></item>"));
    return s.append("</tagSet>").toString();
  }

  private static Map<String, String> tags(Map<String, String> p, String prefix) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int n = 1; p.containsKey(prefix + "Tag." + n + ".Key"); n++) {
      tags.put(p.get(prefix + "Tag." + n + ".Key"), p.get(prefix + "Tag." + n + ".Value"));
    }
    return tags;
  }

  private static List<String> list(Map<String, String> p, String name) {
    List<String> out = new ArrayList<>();
    for (int n = 1; p.containsKey(name + "." + n); n++) {
      out.add(p.get(name + "." + n));
    }
    return out;
  }

  private static Map<String, List<String>> filters(Map<String, String> p) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int n = 1; p.containsKey("Filter." + n + ".Name"); n++) {
      out.put(p.get("Filter." + n + ".Name"), list(p, "Filter." + n + ".Value"));
    }
    return out;
  }

  private static boolean matches(Map<String, List<String>> filters, Function<String, String> field) {
    for (var f : filters.entrySet()) {
      String v = field.apply(f.getKey());
      if (v == null || f.getValue().stream().noneMatch(pattern -> glob(pattern).matcher(v).matches())) {
        return false;
      }
    }
    return true;
  }

  private static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (!re.isEmpty()) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString());
  }

  static Map<String, String> form(String body) {
    Map<String, String> p = new TreeMap<>();
    if (body == null || body.isEmpty()) {
      return p;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      p.put(k, v);
    }
    return p;
  }

  private static String xml(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static ResponseDefinition ok(String action, String inner) {
    return answer(200, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action
        + "Response xmlns=\"" + NS + "\"><requestId>11111111-2222-3333-4444-555555555555</requestId>" + inner
        + "</" + action + "Response>");
  }

  private static ResponseDefinition error(String code, String message) {
    int status = switch (code) {
      case "AuthFailure" -> 401;
      case "UnauthorizedOperation" -> 403;
      case "InternalError" -> 500;
      default -> 400;
    };
    return answer(status, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors>"
        + "<Error><Code>" + code + "</Code><Message>" + xml(message) + "</Message></Error></Errors>"
        + "<RequestID>11111111-2222-3333-4444-555555555555</RequestID></Response>");
  }
}
