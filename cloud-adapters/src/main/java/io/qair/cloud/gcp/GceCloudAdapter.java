package io.qair.cloud.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.compute.v1.AggregatedListInstancesRequest;
import com.google.cloud.compute.v1.DeleteFirewallRequest;
import com.google.cloud.compute.v1.DeleteInstanceRequest;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallsClient;
import com.google.cloud.compute.v1.FirewallsSettings;
import com.google.cloud.compute.v1.GlobalOperationsClient;
import com.google.cloud.compute.v1.GlobalOperationsSettings;
import com.google.cloud.compute.v1.ImagesClient;
import com.google.cloud.compute.v1.ImagesSettings;
import com.google.cloud.compute.v1.InsertFirewallRequest;
import com.google.cloud.compute.v1.InsertInstanceRequest;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesScopedList;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.StartInstanceRequest;
import com.google.cloud.compute.v1.StopInstanceRequest;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import com.google.cloud.compute.v1.ZoneOperationsSettings;
import io.qair.cloud.bootstrap.AgentDistribution;
import io.qair.cloud.bootstrap.CommonOptions;
import io.qair.cloud.bootstrap.FailedProvision;
import io.qair.cloud.bootstrap.HostSetup;
import io.qair.cloud.bootstrap.IdempotencyKeys;
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
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A zone host on Compute Engine. Provision: record the zone, resolve the Debian 12 image, insert
 * the zone's firewall rule (agent port, from {@code allow-from}, to instances with the zone's
 * network tag), insert a Shielded VM labelled {@code qair-zone} / {@code qair-master} with the host
 * setup as {@code user-data} and {@code startup-script}, poll every operation to completion, wait
 * for RUNNING with an address. Every insert and delete carries a {@code requestId} derived from
 * zone, master and step. A failed provision removes what it made. Settings: {@code project}
 * (default project), {@code endpoint} (Compute endpoint override, for tests), {@code
 * discover-projects}, {@code poll-interval-ms}, {@code boot-timeout-seconds}, {@code
 * agent.dist-url}, {@code agent.dist-sha256}, {@code allow-from}.
 */
public final class GceCloudAdapter implements CloudAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(GceCloudAdapter.class);
  public static final String NAME = "gcp";




  private final Supplier<CredentialsProvider> credentials;
  private CredentialsProvider provider;
  private AdapterContext context;
  private ZoneRecords records;
  private Poller poller;
  private Clients clients;

  /** The Compute clients, made on first use (that is when credentials are looked up). */
  private record Clients(InstancesClient instances, FirewallsClient firewalls, ImagesClient images,
      ZoneOperationsClient zoneOps, GlobalOperationsClient globalOps) {}

  /** Credentials from Google application-default credentials. */
  public GceCloudAdapter() {
    this(() -> InstancesSettings.defaultCredentialsProviderBuilder().build());
  }

  /** With given credentials (tests). */
  GceCloudAdapter(Supplier<CredentialsProvider> credentials) {
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
    this.provider = credentials.get();
  }

  @Override
  public Optional<String> unavailableReason() {
    try {
      provider.getCredentials();
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("no Google credentials (" + e.getMessage() + "): run gcloud auth application-default"
          + " login or set GOOGLE_APPLICATION_CREDENTIALS");
    }
  }

  private synchronized Clients clients() {
    if (clients == null) {
      try {
        clients = new Clients(InstancesClient.create(settings(InstancesSettings.newBuilder())),
            FirewallsClient.create(settings(FirewallsSettings.newBuilder())),
            ImagesClient.create(settings(ImagesSettings.newBuilder())),
            ZoneOperationsClient.create(settings(ZoneOperationsSettings.newBuilder())),
            GlobalOperationsClient.create(settings(GlobalOperationsSettings.newBuilder())));
      } catch (IOException e) {
        throw GceErrors.noCredentials(e);
      }
    }
    return clients;
  }

  /** Cloud Storage for the agent distribution (setting {@code storage-endpoint} overrides the endpoint). */
  private GcsAgentStore storage() {
    try {
      return new GcsAgentStore(provider.getCredentials(),
          URI.create(context.setting("storage-endpoint").orElse("https://storage.googleapis.com")),
          Path.of(context.setting("agent.dist-file").orElse("qair-zone-agent.tar.gz")),
          Duration.ofMinutes(CommonOptions.number(context.setting("agent.url-ttl-minutes").orElse(null),
              "agent.url-ttl-minutes", 1, 10080, 30, "minutes")), Clock.systemUTC());
    } catch (IOException e) {
      throw GceErrors.noCredentials(e);
    }
  }

  private <S extends ClientSettings<S>, B extends ClientSettings.Builder<S, B>> S settings(B b) throws IOException {
    context.setting("endpoint").ifPresent(b::setEndpoint);
    return b.setCredentialsProvider(provider).build();
  }

  @Override
  public ZoneHost provision(ZoneRequest request, Bootstrap bootstrap) {
    return provision(request, bootstrap, step -> { });
  }

  @Override
  public ZoneHost provision(ZoneRequest request, Bootstrap bootstrap, Consumer<ProvisionStep> progress) {
    String zone = Names.requireZoneName(request.name());
    GceOptions o = GceOptions.parse(request, context);
    boolean publish = o.common().dist() == null;
    if (publish && (o.bucket() == null || context.setting("agent.dist-file").isEmpty())) {
      throw CommonOptions.noDistribution(" (e.g. a signed Cloud Storage URL: gcloud storage sign-url), or set the"
          + " adapter setting agent.dist-file to the agent tar.gz and --opt bucket=NAME to publish it through Cloud"
          + " Storage");
    }
    String master = bootstrap.masterId();
    Map<String, String> rec = new HashMap<>(Map.of("project", o.project(), "zone", o.gceZone(), "master", master));
    if (publish) {
      rec.put("bucket", o.bucket());
    }
    records.put(zone, rec);
    Clients c = clients();
    String name = GceResources.instanceName(zone, master);
    try {
      Optional<Instance> existing = instance(c, o.project(), o.gceZone(), name);
      if (existing.isPresent()) {
        String s = existing.get().getStatus();
        if (s.equals("TERMINATED") || s.equals("STOPPED") || s.equals("SUSPENDED") || s.equals("STOPPING")) {
          return start(zone);
        }
        progress.accept(ProvisionStep.BOOT);
        return waitRunning(c, o, zone, name);
      }
      String image = o.image() != null ? o.image() : debianImage(c);
      progress.accept(ProvisionStep.FIREWALL);
      firewall(c, zone, master, o);
      AgentDistribution dist = publish ? storage().publish(o.bucket(), zone, master) : o.common().dist();
      HostSetup setup = new HostSetup(zone, o.common().agentPort(), bootstrap, dist);
      Instance spec = GceResources.instance(zone, master, o, image, setup);
      progress.accept(ProvisionStep.LAUNCH);
      insertOnce("instance", zone, master, o, requestId -> c.instances().insertCallable().call(
              InsertInstanceRequest.newBuilder().setProject(o.project()).setZone(o.gceZone()).setRequestId(requestId)
                  .setInstanceResource(spec).build()),
          () -> instance(c, o.project(), o.gceZone(), name).isPresent());
      LOG.info("zone {}: GCE instance {} inserted in {}/{}", zone, name, o.project(), o.gceZone());
      progress.accept(ProvisionStep.BOOT);
      return waitRunning(c, o, zone, name);
    } catch (ApiException e) {
      throw FailedProvision.cleanUp(zone, GceErrors.map(e, "creating the zone host", o), this::deprovision);
    } catch (QairException e) {
      throw FailedProvision.cleanUp(zone, e, this::deprovision);
    }
  }

  private static String debianImage(Clients c) {
    try {
      return c.images().getFromFamily("debian-cloud", "debian-12").getSelfLink();
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() != StatusCode.Code.NOT_FOUND) {
        throw e;
      }
      throw QairException.badRequest("no image of family debian-12 was found in project debian-cloud: give one"
          + " with --opt image=projects/PROJECT/global/images/NAME");
    }
  }

  /** The zone's firewall rule: tcp to the agent port, from allow-from, to the zone's instance only. */
  private void firewall(Clients c, String zone, String master, GceOptions o) {
    String name = GceResources.firewallName(zone, master);
    if (firewallExists(c, o.project(), name)) {
      return;
    }
    Firewall rule = GceResources.firewall(zone, master, o);
    insertOnce("firewall", zone, master, o, requestId -> c.firewalls().insertCallable().call(
            InsertFirewallRequest.newBuilder().setProject(o.project()).setRequestId(requestId)
                .setFirewallResource(rule).build()),
        () -> firewallExists(c, o.project(), name));
    LOG.info("zone {}: firewall {} created", zone, name);
  }

  /**
   * Inserts with a requestId from zone, master and step, and polls the operation to the end. Compute
   * Engine keeps requestIds for a while: a zone removed and made again soon would get the old,
   * finished operation and nothing made, so then the next attempt's requestId is used, the same
   * sequence every time.
   */
  private void insertOnce(String step, String zone, String master, GceOptions o, Function<String, Operation> insert,
      Supplier<Boolean> exists) {
    for (int attempt = 0; attempt < 20; attempt++) {
      String requestId = IdempotencyKeys.uuid("gce", step, zone, master, Integer.toString(attempt)).toString();
      finish(insert.apply(requestId), "creating the zone's " + step, o);
      if (exists.get()) {
        return;
      }
    }
    throw QairException.unavailable("Compute Engine keeps answering with old operations for zone " + zone
        + ": wait an hour or use another zone name", null);
  }

  /** Polls a zonal or global operation until DONE; its errors become a QairException. */
  private Operation finish(Operation op, String what, GceOptions o) {
    Clients c = clients();
    Operation done = op;
    if (op.getStatus() != Operation.Status.DONE) {
      done = poller.until(() -> {
        Operation now = op.hasZone()
            ? c.zoneOps().get(o.project(), o.gceZone(), op.getName())
            : c.globalOps().get(o.project(), op.getName());
        return now.getStatus() == Operation.Status.DONE ? Optional.of(now) : Optional.empty();
      }).orElseThrow(() -> QairException.unavailable("Compute Engine operation " + op.getName() + " (" + what
          + ") did not finish within " + poller.timeout().toSeconds() + " s: retry later", null));
    }
    if (done.hasError() && done.getError().getErrorsCount() > 0) {
      throw GceErrors.map(done, what, o);
    }
    return done;
  }

  private ZoneHost waitRunning(Clients c, GceOptions o, String zone, String name) {
    return poller.until(() -> {
      Instance i = instance(c, o.project(), o.gceZone(), name).orElseThrow(() -> QairException.unavailable(
          "GCE instance " + name + " of zone " + zone + " vanished while booting", null));
      ZoneHost h = GceResources.host(i);
      return h.state() == HostState.RUNNING && h.address() != null ? Optional.of(h) : Optional.empty();
    }).orElseThrow(() -> QairException.unavailable("GCE instance " + name + " of zone " + zone + " did not reach"
        + " RUNNING with an address within " + poller.timeout().toSeconds() + " s: it is removed; try again or"
        + " another zone", null));
  }

  private static Optional<Instance> instance(Clients c, String project, String gceZone, String name) {
    try {
      return Optional.of(c.instances().get(project, gceZone, name));
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static boolean firewallExists(Clients c, String project, String name) {
    try {
      c.firewalls().get(project, name);
      return true;
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** The options a recorded zone was made with (only where it is: project, zone, master). */
  private Optional<Rec> record(String zone) {
    return records.get(Names.requireZoneName(zone))
        .map(m -> new Rec(m.get("project"), m.get("zone"), m.get("master"), m.get("bucket")));
  }

  private record Rec(String project, String gceZone, String master, String bucket) {
    GceOptions options() {
      return GceOptions.where(project, gceZone);
    }
  }

  @Override
  public Optional<ZoneHost> describe(String zone) {
    Optional<Rec> rec = record(zone);
    if (rec.isEmpty()) {
      return Optional.empty();
    }
    Rec r = rec.get();
    try {
      return instance(clients(), r.project(), r.gceZone(), GceResources.instanceName(zone, r.master()))
          .filter(i -> GceResources.labelValue(r.master())
              .equals(i.getLabelsOrDefault(GceResources.LABEL_MASTER, null)))
          .map(GceResources::host);
    } catch (ApiException e) {
      throw GceErrors.map(e, "describing zone " + zone, r.options());
    }
  }

  @Override
  public ZoneHost start(String zone) {
    Rec r = record(zone).orElseThrow(() -> QairException.notFound("gcp zone '" + zone + "' has no host to start"));
    Clients c = clients();
    String name = GceResources.instanceName(zone, r.master());
    try {
      Instance i = instance(c, r.project(), r.gceZone(), name)
          .orElseThrow(() -> QairException.notFound("gcp zone '" + zone + "' has no host to start"));
      if (!i.getStatus().equals("RUNNING")) {
        String requestId = IdempotencyKeys.uuid("gce", "start", zone, r.master(), Long.toString(i.getId()),
            i.getLastStopTimestamp()).toString();
        finish(c.instances().startCallable().call(StartInstanceRequest.newBuilder().setProject(r.project())
            .setZone(r.gceZone()).setInstance(name).setRequestId(requestId).build()), "starting zone " + zone, r.options());
      }
      return waitRunning(c, r.options(), zone, name);
    } catch (ApiException e) {
      throw GceErrors.map(e, "starting zone " + zone, r.options());
    }
  }

  @Override
  public void stop(String zone) {
    Optional<Rec> rec = record(zone);
    if (rec.isEmpty()) {
      return;
    }
    Rec r = rec.get();
    Clients c = clients();
    String name = GceResources.instanceName(zone, r.master());
    try {
      Optional<Instance> i = instance(c, r.project(), r.gceZone(), name);
      if (i.isEmpty() || i.get().getStatus().equals("TERMINATED")) {
        return;
      }
      String requestId = IdempotencyKeys.uuid("gce", "stop", zone, r.master(), Long.toString(i.get().getId()),
          i.get().getLastStartTimestamp()).toString();
      finish(c.instances().stopCallable().call(StopInstanceRequest.newBuilder().setProject(r.project())
          .setZone(r.gceZone()).setInstance(name).setRequestId(requestId).build()), "stopping zone " + zone, r.options());
    } catch (ApiException e) {
      throw GceErrors.map(e, "stopping zone " + zone, r.options());
    }
  }

  /** Deletes the zone's instance (and waits until it is gone), then its firewall rule. */
  @Override
  public void deprovision(String zone) {
    Optional<Rec> rec = record(zone);
    if (rec.isEmpty()) {
      return;
    }
    Rec r = rec.get();
    Clients c = clients();
    String name = GceResources.instanceName(zone, r.master());
    try {
      Optional<Instance> i = instance(c, r.project(), r.gceZone(), name);
      if (i.isPresent()) {
        String requestId = IdempotencyKeys.uuid("gce", "delete", zone, r.master(), Long.toString(i.get().getId()))
            .toString();
        finish(c.instances().deleteCallable().call(DeleteInstanceRequest.newBuilder().setProject(r.project())
            .setZone(r.gceZone()).setInstance(name).setRequestId(requestId).build()), "removing zone " + zone, r.options());
        poller.until(() -> instance(c, r.project(), r.gceZone(), name).isEmpty() ? Optional.of(true) : Optional.empty())
            .orElseThrow(() -> QairException.unavailable("GCE instance " + name + " was not deleted within "
                + poller.timeout().toSeconds() + " s: run qair zone rm again later", null));
        LOG.info("zone {}: GCE instance {} deleted", zone, name);
      }
      String fw = GceResources.firewallName(zone, r.master());
      if (firewallExists(c, r.project(), fw)) {
        long id = c.firewalls().get(r.project(), fw).getId();
        finish(c.firewalls().deleteCallable().call(DeleteFirewallRequest.newBuilder().setProject(r.project())
                .setFirewall(fw).setRequestId(IdempotencyKeys.uuid("gce", "delete-firewall", zone, r.master(),
                    Long.toString(id)).toString()).build()),
            "removing the firewall of zone " + zone, r.options());
        LOG.info("zone {}: firewall {} deleted", zone, fw);
      }
      if (r.bucket() != null) {
        storage().remove(r.bucket(), zone, r.master());
      }
    } catch (ApiException e) {
      throw GceErrors.map(e, "removing zone " + zone, r.options());
    }
    records.remove(zone);
  }

  /** A host found by label but not recorded here (the state dir was lost): record it, so it can be removed. */
  private void remember(Instance i, String project, String master) {
    String zone = i.getLabelsOrDefault(GceResources.LABEL_ZONE, "");
    String gceZone = i.getZone().substring(i.getZone().lastIndexOf('/') + 1);
    if (zone.matches("[a-z][a-z0-9-]{0,30}") && !gceZone.isEmpty() && records.get(zone).isEmpty()
        && GceResources.instanceName(zone, master).equals(i.getName())) {
      records.put(zone, Map.of("project", project, "zone", gceZone, "master", master));
    }
  }

  /**
   * Every instance labelled with this master in the recorded projects and the settings {@code
   * project} and {@code discover-projects}. A host this adapter has no record of is recorded, so
   * {@link #deprovision} can remove it.
   */
  @Override
  public List<ZoneHost> discover(String masterId) {
    Set<String> projects = new TreeSet<>();
    records.all().forEach(m -> projects.add(m.get("project")));
    context.setting("project").ifPresent(projects::add);
    projects.addAll(CommonOptions.list(context, "discover-projects"));
    Clients c = clients();
    List<ZoneHost> out = new ArrayList<>();
    Map<String, Boolean> seen = new HashMap<>();
    String label = GceResources.labelValue(masterId);
    for (String project : projects) {
      try {
        var pages = c.instances().aggregatedList(AggregatedListInstancesRequest.newBuilder().setProject(project)
            .setFilter("labels." + GceResources.LABEL_MASTER + " = \"" + label + "\"").build());
        for (Map.Entry<String, InstancesScopedList> e : pages.iterateAll()) {
          for (Instance i : e.getValue().getInstancesList()) {
            boolean mine = label.equals(i.getLabelsOrDefault(GceResources.LABEL_MASTER, null))
                && i.containsLabels(GceResources.LABEL_ZONE);
            if (mine && seen.putIfAbsent(i.getSelfLink() + i.getName(), true) == null) {
              remember(i, project, masterId);
              out.add(GceResources.host(i));
            }
          }
        }
      } catch (ApiException e) {
        throw GceErrors.map(e, "listing this master's zone hosts", GceOptions.where(project, "x-x1-a"));
      }
    }
    return out;
  }
}
