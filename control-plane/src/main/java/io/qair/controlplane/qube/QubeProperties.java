package io.qair.controlplane.qube;

import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Tx;
import io.qair.protocol.Label;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The qube properties of the Admin API: their values with defaults, and the rules a new value
 * must follow. Values are strings on the wire; "no net qube" is the empty string.
 */
public final class QubeProperties {
  public static final List<String> NAMES = List.of("label", "memory", "vcpus", "netvm", "template", "zone",
      "klass", "autostart", "default_dispvm", "include_in_backups", "template_for_dispvms");
  private static final Set<String> READ_ONLY = Set.of("zone", "klass");
  private static final Set<String> BOOLEANS = Set.of("autostart", "include_in_backups", "template_for_dispvms");

  private final QubeDefaults defaults;

  public QubeProperties(QubeDefaults defaults) {
    this.defaults = defaults;
  }

  /** Every property of {@code q}, defaults included, in {@link #NAMES} order. */
  public Map<String, String> all(Tx tx, QubeRow q) {
    Map<String, String> stored = tx.storedProperties(q.name());
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : NAMES) {
      out.put(p, value(q, stored, p));
    }
    return out;
  }

  public String get(Tx tx, QubeRow q, String untrustedProp) {
    return value(q, tx.storedProperties(q.name()), requireName(untrustedProp));
  }

  private String value(QubeRow q, Map<String, String> stored, String p) {
    return switch (p) {
      case "label" -> q.label().wireName();
      case "memory" -> Integer.toString(q.memory());
      case "vcpus" -> Integer.toString(q.vcpus());
      case "netvm" -> q.netvm() == null ? "" : q.netvm();
      case "template" -> q.template() == null ? "" : q.template();
      case "zone" -> q.zone();
      case "klass" -> q.klass().name();
      default -> stored.getOrDefault(p, storedDefault(p));
    };
  }

  private static String storedDefault(String p) {
    return switch (p) {
      case "autostart", "template_for_dispvms" -> "false";
      case "include_in_backups" -> "true";
      default -> "";
    };
  }

  public static String requireName(String untrustedProp) {
    if (untrustedProp == null || !NAMES.contains(untrustedProp)) {
      throw QairException.badRequest("unknown property '" + Names.printable(untrustedProp)
          + "': use one of " + String.join(", ", NAMES));
    }
    return untrustedProp;
  }

  /** Sets {@code prop} of {@code q} to a checked {@code untrustedValue}; returns the value set. */
  public String set(Tx tx, QubeRow q, String untrustedProp, String untrustedValue) {
    String prop = requireName(untrustedProp);
    String value = check(tx, q, prop, untrustedValue);
    tx.setProperty(q.name(), prop, value);
    return value;
  }

  /** Resets {@code prop} of {@code q} to its default; returns the value now in effect. */
  public String reset(Tx tx, QubeRow q, String untrustedProp) {
    String prop = requireName(untrustedProp);
    String value = switch (prop) {
      case "label" -> throw QairException.badRequest("property 'label' has no default: set a label instead");
      case "memory" -> Integer.toString(QubeDefaults.MEMORY_MIB);
      case "vcpus" -> Integer.toString(QubeDefaults.VCPUS);
      case "template" -> defaults.template();
      default -> READ_ONLY.contains(prop) ? null : storedDefault(prop);
    };
    value = check(tx, q, prop, value);
    tx.resetProperty(q.name(), prop, value);
    return value;
  }

  private String check(Tx tx, QubeRow q, String prop, String untrusted) {
    if (READ_ONLY.contains(prop)) {
      throw QairException.badRequest("property '" + prop + "' is read-only: it is fixed when the qube is created");
    }
    if (untrusted == null) {
      throw QairException.badRequest("property '" + prop + "' needs a value");
    }
    boolean running = q.state() != QubeState.HALTED && q.state() != QubeState.CRASHED;
    switch (prop) {
      case "label":
        return Label.parse(untrusted).wireName();
      case "memory": {
        int mib = memory(parseInt(prop, untrusted));
        if (running && mib != q.memory()) {
          throw QairException.conflict("cannot change the memory of running qube '" + q.name()
              + "': shut it down first (`qair qube shutdown " + q.name() + "`)");
        }
        return Integer.toString(mib);
      }
      case "vcpus":
        return Integer.toString(vcpus(parseInt(prop, untrusted)));
      case "netvm":
        return untrusted.isEmpty() ? "" : requireNetvm(tx, untrusted, q.zone(), q.name()).name();
      case "template": {
        if (q.klass() != QubeClass.AppVM && q.klass() != QubeClass.DispVM) {
          throw QairException.badRequest("a " + q.klass() + " has no template to change: only an AppVM or"
              + " DispVM runs on a template");
        }
        String t = requireTemplate(tx, untrusted, q.zone()).name();
        if (running && !t.equals(q.template())) {
          throw QairException.conflict("cannot change the template of running qube '" + q.name()
              + "': shut it down first (`qair qube shutdown " + q.name() + "`)");
        }
        return t;
      }
      case "default_dispvm":
        return untrusted.isEmpty() ? "" : requireTemplate(tx, untrusted, q.zone()).name();
      default:
        if (BOOLEANS.contains(prop)) {
          String b = untrusted.toLowerCase(Locale.ROOT);
          if (!b.equals("true") && !b.equals("false")) {
            throw QairException.badRequest("property '" + prop + "' is true or false, not '"
                + Names.printable(untrusted) + "'");
          }
          return b;
        }
        throw new IllegalStateException("no rule for property " + prop);
    }
  }

  private static int parseInt(String prop, String untrusted) {
    try {
      return Integer.parseInt(untrusted.strip());
    } catch (NumberFormatException e) {
      throw QairException.badRequest("property '" + prop + "' is a whole number, not '"
          + Names.printable(untrusted) + "'");
    }
  }

  public static int memory(int mib) {
    if (mib < QubeDefaults.MIN_MEMORY_MIB || mib > QubeDefaults.MAX_MEMORY_MIB) {
      throw QairException.badRequest("memory " + mib + " MiB is out of range: use "
          + QubeDefaults.MIN_MEMORY_MIB + ".." + QubeDefaults.MAX_MEMORY_MIB + " MiB");
    }
    return mib;
  }

  public static int vcpus(int n) {
    if (n < 1 || n > QubeDefaults.MAX_VCPUS) {
      throw QairException.badRequest("vcpus " + n + " is out of range: use 1.." + QubeDefaults.MAX_VCPUS);
    }
    return n;
  }

  /** The TemplateVM named {@code untrustedName}, which must be in {@code zone}. */
  public static QubeRow requireTemplate(Tx tx, String untrustedName, String zone) {
    String name = Names.requireQubeName(untrustedName);
    QubeRow t = tx.qube(name).orElseThrow(() -> QairException.badRequest("unknown template '" + name
        + "': list templates with `qair template ls`"));
    if (t.klass() != QubeClass.TemplateVM) {
      throw QairException.badRequest("'" + name + "' is a " + t.klass() + ", not a TemplateVM: list templates"
          + " with `qair template ls`");
    }
    if (!t.zone().equals(zone) && !tx.zoneHasTemplate(zone, name)) {
      throw QairException.badRequest("template '" + name + "' is in zone '" + t.zone() + "' and zone '" + zone
          + "' has no copy of it: use a template that zone has (`qair template ls`)");
    }
    return t;
  }

  /** The net qube named {@code untrustedName}: in {@code zone}, not {@code self}, no loop. */
  public static QubeRow requireNetvm(Tx tx, String untrustedName, String zone, String self) {
    String name = Names.requireQubeName(untrustedName);
    QubeRow n = tx.qube(name).orElseThrow(() -> QairException.badRequest("unknown net qube '" + name
        + "': list qubes with `qair qube ls`"));
    if (!n.zone().equals(zone)) {
      throw QairException.badRequest("net qube '" + name + "' is in zone '" + n.zone() + "', not '" + zone
          + "': a net qube must be in the same zone");
    }
    Set<String> seen = new HashSet<>();
    for (QubeRow cur = n; cur != null; cur = cur.netvm() == null ? null : tx.qube(cur.netvm()).orElse(null)) {
      if (cur.name().equals(self) || !seen.add(cur.name())) {
        throw QairException.badRequest("net qube '" + name + "' would route '" + self + "' through itself:"
            + " choose another net qube");
      }
    }
    return n;
  }
}
