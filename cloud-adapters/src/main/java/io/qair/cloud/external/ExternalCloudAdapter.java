package io.qair.cloud.external;

import io.qair.cloud.bootstrap.CommonOptions;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Zone hosts made outside qair (e.g. by {@code terraform/modules/aws-zone}). Provision records the
 * zone and waits (up to {@code boot-timeout-seconds}) until the host's address is given by
 * {@code qair zone adopt}. The host's first boot comes from {@link #hostSetup}: the same
 * {@link HostSetup} the aws and gcp adapters deliver (cloud-init user-data and the equivalent
 * startup script), rendered on request with a fresh single-use enrollment token, which is therefore
 * never stored. Deprovision forgets the zone; it removes no host: whoever made it removes it
 * ({@code terraform destroy}).
 *
 * <p>Options: {@code agent-port} (default 7444), {@code agent-url} and {@code agent-sha256} (or the
 * settings {@code agent.dist-url} / {@code agent.dist-sha256}); {@code allow-from} is not used (the
 * module opens the port).
 */
public final class ExternalCloudAdapter implements CloudAdapter {
  public static final String NAME = "external";
  /** Keys of {@link #hostSetup}. */
  public static final String USER_DATA = "user-data";
  public static final String STARTUP_SCRIPT = "startup-script";
  private static final Set<String> KEYS = Set.of();

  private AdapterContext context;
  private ZoneRecords records;
  private Poller poller;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void init(AdapterContext shared) {
    this.context = CommonOptions.forProvider(shared, NAME);
    this.records = new ZoneRecords(context.stateDir());
    this.poller = Poller.fromSettings(context);
  }

  @Override
  public ZoneHost provision(ZoneRequest request, Bootstrap bootstrap) {
    return provision(request, bootstrap, step -> { });
  }

  @Override
  public ZoneHost provision(ZoneRequest request, Bootstrap bootstrap, Consumer<ProvisionStep> progress) {
    String zone = Names.requireZoneName(request.name());
    CommonOptions o = options(request);
    if (records.get(zone).isEmpty()) {
      records.put(zone, Map.of("master", bootstrap.masterId(), "port", Integer.toString(o.agentPort())));
    }
    progress.accept(ProvisionStep.BOOT);
    Optional<ZoneHost> host = poller.until(() -> describe(zone).filter(h -> h.address() != null));
    return host.orElseThrow(() -> QairException.unavailable("zone " + zone + " was not adopted within "
        + poller.timeout().toSeconds() + " s: make its host with the user-data of `qair zone bootstrap " + zone
        + "` and run `qair zone adopt " + zone + " --address HOST` (its enrollment token lasts 10 minutes)", null));
  }

  /**
   * The first boot of the zone's host ({@link #USER_DATA}, {@link #STARTUP_SCRIPT}) for these
   * options, delivering {@code bootstrap} (whose token the caller has just issued).
   */
  public Map<String, String> hostSetup(ZoneRequest request, Bootstrap bootstrap) {
    CommonOptions o = options(request);
    HostSetup setup = new HostSetup(Names.requireZoneName(request.name()), o.agentPort(), bootstrap, o.dist());
    return Map.of(USER_DATA, setup.cloudConfig(), STARTUP_SCRIPT, setup.shellScript());
  }

  private CommonOptions options(ZoneRequest request) {
    Map<String, String> options = new HashMap<>(request.options() == null ? Map.of() : request.options());
    CommonOptions.rejectUnknown(NAME, options, KEYS);
    options.putIfAbsent("allow-from", "0.0.0.0/32"); // the module opens the port, not qair
    CommonOptions o = CommonOptions.parse(options, context);
    if (o.dist() == null) {
      throw CommonOptions.noDistribution("");
    }
    return o;
  }

  /** The host of {@code zone} is at {@code host} (an address or DNS name, no port). */
  public void adopt(String zone, String host) {
    Map<String, String> rec = records.get(Names.requireZoneName(zone)).orElseThrow(() -> QairException.notFound(
        "zone " + zone + " is not an external zone waiting for its host: create it with --provider external"));
    String h = host == null ? "" : host.strip();
    if (!h.matches("[A-Za-z0-9.-]{1,253}")) {
      throw QairException.badRequest("'" + Names.printable(host) + "' is not a host address: give the address or DNS"
          + " name the master reaches the host at, without a port (e.g. terraform output -raw host_address)");
    }
    Map<String, String> next = new HashMap<>(rec);
    next.put("address", h + ":" + rec.get("port"));
    records.put(zone, next);
  }

  @Override
  public Optional<ZoneHost> describe(String zone) {
    return records.get(Names.requireZoneName(zone)).map(r -> new ZoneHost(zone, r.get("address"), zone,
        r.get("address") == null ? HostState.PROVISIONING : HostState.RUNNING));
  }

  @Override
  public ZoneHost start(String zone) {
    return describe(zone).orElseThrow(() -> QairException.notFound("external zone '" + zone + "' has no host"));
  }

  @Override
  public void stop(String zone) {
    // the host is not ours to stop
  }

  @Override
  public void deprovision(String zone) {
    records.remove(Names.requireZoneName(zone));
  }

  /** Hosts made elsewhere are not this master's to find or remove. */
  @Override
  public List<ZoneHost> discover(String masterId) {
    return List.of();
  }
}
