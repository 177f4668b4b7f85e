package io.qair.cloud.gcp;

import com.google.cloud.compute.v1.AccessConfig;
import com.google.cloud.compute.v1.Allowed;
import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.AttachedDiskInitializeParams;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.Items;
import com.google.cloud.compute.v1.Metadata;
import com.google.cloud.compute.v1.NetworkInterface;
import com.google.cloud.compute.v1.ShieldedInstanceConfig;
import com.google.cloud.compute.v1.Tags;
import io.qair.cloud.bootstrap.CommonOptions;
import io.qair.cloud.bootstrap.HostSetup;
import io.qair.cloud.bootstrap.IdempotencyKeys;
import io.qair.cloud.spi.HostState;
import io.qair.cloud.spi.ZoneHost;
import java.util.Locale;

/**
 * What the gcp adapter makes for a zone, and how it reads a host back: names, labels, the instance
 * (Shielded VM, Debian boot disk, external address, the host setup in metadata) and the firewall rule.
 */
final class GceResources {
  static final String LABEL_ZONE = "qair-zone";
  static final String LABEL_MASTER = "qair-master";
  static final String PORT_KEY = "qair-agent-port";

  private GceResources() {}

  static String instanceName(String zone, String master) {
    return "qair-" + zone + "-" + IdempotencyKeys.shortHash(master);
  }

  static String firewallName(String zone, String master) {
    return instanceName(zone, master) + "-agent";
  }

  /** Label values: lower-case letters, digits, '-' and '_', at most 63 characters. */
  static String labelValue(String s) {
    String v = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return v.length() > 63 ? v.substring(0, 63) : v;
  }

  static Instance instance(String zone, String master, GceOptions o, String image, HostSetup setup) {
    NetworkInterface.Builder nic = NetworkInterface.newBuilder().setNetwork("global/networks/" + o.network())
        .addAccessConfigs(AccessConfig.newBuilder().setName("External NAT").setType("ONE_TO_ONE_NAT"));
    if (o.subnet() != null) {
      nic.setSubnetwork("regions/" + o.gceRegion() + "/subnetworks/" + o.subnet());
    }
    return Instance.newBuilder().setName(instanceName(zone, master))
        .setDescription("qair zone " + zone + " (master " + master + ")")
        .setMachineType("zones/" + o.gceZone() + "/machineTypes/" + o.machineType())
        .addDisks(AttachedDisk.newBuilder().setBoot(true).setAutoDelete(true).setType("PERSISTENT")
            .setInitializeParams(AttachedDiskInitializeParams.newBuilder().setSourceImage(image)
                .setDiskSizeGb(o.diskSizeGb()).setDiskType("zones/" + o.gceZone() + "/diskTypes/pd-balanced")))
        .addNetworkInterfaces(nic)
        .putLabels(LABEL_ZONE, zone).putLabels(LABEL_MASTER, labelValue(master))
        .setTags(Tags.newBuilder().addItems(firewallName(zone, master)))
        .setMetadata(Metadata.newBuilder()
            .addItems(Items.newBuilder().setKey("user-data").setValue(setup.cloudConfig()))
            .addItems(Items.newBuilder().setKey("startup-script").setValue(setup.shellScript()))
            .addItems(Items.newBuilder().setKey(PORT_KEY).setValue(Integer.toString(o.common().agentPort())))
            .addItems(Items.newBuilder().setKey("block-project-ssh-keys").setValue("true")))
        .setShieldedInstanceConfig(ShieldedInstanceConfig.newBuilder().setEnableSecureBoot(true).setEnableVtpm(true)
            .setEnableIntegrityMonitoring(true))
        .build();
  }

  static ZoneHost host(Instance i) {
    String ip = null;
    if (i.getNetworkInterfacesCount() > 0) {
      NetworkInterface nic = i.getNetworkInterfaces(0);
      ip = nic.getAccessConfigsList().stream().map(AccessConfig::getNatIP).filter(s -> !s.isEmpty()).findFirst()
          .orElse(nic.getNetworkIP().isEmpty() ? null : nic.getNetworkIP());
    }
    String port = i.getMetadata().getItemsList().stream().filter(it -> it.getKey().equals(PORT_KEY))
        .map(Items::getValue).findFirst().orElse(Integer.toString(CommonOptions.DEFAULT_AGENT_PORT));
    HostState state = switch (i.getStatus()) {
      case "PROVISIONING", "STAGING" -> HostState.PROVISIONING;
      case "RUNNING" -> HostState.RUNNING;
      case "STOPPING", "STOPPED", "SUSPENDING", "SUSPENDED", "TERMINATED" -> HostState.STOPPED;
      default -> HostState.UNKNOWN;
    };
    return new ZoneHost(i.getLabelsOrDefault(LABEL_ZONE, null), ip == null ? null : ip + ":" + port, i.getName(), state);
  }

  /** The zone's firewall rule: tcp to the agent port, from allow-from, to the zone's instance only. */
  static Firewall firewall(String zone, String master, GceOptions o) {
    String name = firewallName(zone, master);
    return Firewall.newBuilder().setName(name).setNetwork("global/networks/" + o.network())
        .setDescription("qair zone " + zone + " (master " + master + "): the zone agent port, from the master only")
        .setDirection("INGRESS").setPriority(1000)
        .addAllowed(Allowed.newBuilder().setIPProtocol("tcp").addPorts(Integer.toString(o.common().agentPort())))
        .addSourceRanges(o.common().allowFrom()).addTargetTags(name).build();
  }
}
