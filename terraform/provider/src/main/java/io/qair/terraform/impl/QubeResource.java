package io.qair.terraform.impl;

import static io.qair.terraform.impl.Values.known;
import static io.qair.terraform.impl.Values.num;
import static io.qair.terraform.impl.Values.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.protocol.Label;
import io.qair.protocol.Names;
import io.qair.protocol.api.PropertyValue;
import io.qair.protocol.api.QubeCreate;
import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.Diagnostics;
import io.qair.terraform.spi.ProviderException;
import io.qair.terraform.spi.TypeSchema;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** {@code qair_qube}: a qube on the master, with its properties, tags and features. */
final class QubeResource extends AbstractResource {
  static final Set<String> CLASSES = Set.of("AppVM", "TemplateVM", "DispVM", "StandaloneVM");
  private static final TypeSchema SCHEMA = new TypeSchema(0, "A qube.", List.of(
      Attr.required("name", Attr.STRING, "qube name; changing it replaces the qube").replacing(),
      Attr.optionalComputed("zone", Attr.STRING, "zone the qube runs in; default the master's default zone").replacing(),
      Attr.required("label", Attr.STRING, "label colour name (red, orange, yellow, green, gray, blue, purple, black)"),
      Attr.optionalComputed("template", Attr.STRING, "template qube; default the master's default template").replacing(),
      Attr.optionalComputed("class", Attr.STRING, "AppVM (default), TemplateVM, DispVM or StandaloneVM").replacing(),
      Attr.optionalComputed("memory", Attr.NUMBER, "memory in MiB (64-65536); default 400"),
      Attr.optionalComputed("vcpus", Attr.NUMBER, "virtual CPUs (1-64); default 2"),
      Attr.optional("netvm", Attr.STRING, "net qube; none when left out"),
      Attr.optional("tags", Attr.STRING_SET, "tags (policy rules match @tag:NAME)"),
      Attr.optional("features", Attr.STRING_MAP, "features (name -> value)")));

  QubeResource(Supplier<AdminClient> admin) {
    super("qair_qube", SCHEMA, admin);
  }

  @Override
  public void validate(Map<String, Object> c, Diagnostics d) {
    String name = str(c, "name");
    if (name != null && !Names.isValidQubeName(name)) {
      d.attributeError("name", "Invalid qube name", "\"" + Names.printable(name) + "\" is not a valid qube name: use"
          + " letters, digits, '_', '.', '-' (at most 31, starting with a letter)");
    }
    String label = str(c, "label");
    if (label != null && Arrays.stream(Label.values()).noneMatch(l -> l.name().equalsIgnoreCase(label))) {
      d.attributeError("label", "Invalid label", "\"" + Names.printable(label) + "\" is not a label; use one of "
          + Arrays.stream(Label.values()).map(l -> l.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
    String klass = str(c, "class");
    if (klass != null && !CLASSES.contains(klass)) {
      d.attributeError("class", "Invalid qube class", "use one of AppVM, TemplateVM, DispVM, StandaloneVM");
    }
    range(c, "memory", 64, 65536, "MiB", d);
    range(c, "vcpus", 1, 64, "CPUs", d);
    for (String tag : Values.strings(c.get("tags"))) {
      try {
        Names.requireTag(tag);
      } catch (RuntimeException e) {
        d.attributeError("tags", "Invalid tag", e.getMessage());
      }
    }
    for (String f : Values.stringMap(c.get("features")).keySet()) {
      try {
        Names.requireFeature(f);
      } catch (RuntimeException e) {
        d.attributeError("features", "Invalid feature name", e.getMessage());
      }
    }
  }

  private static void range(Map<String, Object> c, String key, long min, long max, String unit, Diagnostics d) {
    Long v = num(c, key);
    if (v != null && (v < min || v > max)) {
      d.attributeError(key, "Value out of range", key + " must be between " + min + " and " + max + " " + unit
          + ", got " + v);
    }
  }

  @Override
  public Map<String, Object> create(Map<String, Object> p) {
    String name = str(p, "name");
    admin.get().post("/api/v1/qubes", new QubeCreate(name, str(p, "class"), str(p, "label"), str(p, "template"),
        str(p, "zone"), intOrNull(num(p, "memory")), intOrNull(num(p, "vcpus")), str(p, "netvm")));
    for (String tag : Values.strings(p.get("tags"))) {
      admin.get().put(AdminClient.path("api/v1/qubes", name, "tags", tag), null);
    }
    Values.stringMap(p.get("features")).forEach((k, v) ->
        admin.get().put(AdminClient.path("api/v1/qubes", name, "features", k), new PropertyValue(v)));
    return requireRead(p);
  }

  @Override
  public Map<String, Object> update(Map<String, Object> prior, Map<String, Object> p) {
    String name = str(p, "name");
    for (String prop : List.of("label", "memory", "vcpus", "netvm")) {
      Object want = p.get(prop);
      if (!known(want) || Objects.equals(want, prior.get(prop))) {
        continue;
      }
      String path = AdminClient.path("api/v1/qubes", name, "properties", prop);
      if (want == null) {
        admin.get().delete(path);
      } else {
        admin.get().put(path, new PropertyValue(String.valueOf(want)));
      }
    }
    Set<String> oldTags = new HashSet<>(Values.strings(prior.get("tags")));
    Set<String> newTags = new HashSet<>(Values.strings(p.get("tags")));
    for (String t : oldTags) {
      if (!newTags.contains(t)) {
        admin.get().delete(AdminClient.path("api/v1/qubes", name, "tags", t));
      }
    }
    for (String t : newTags) {
      if (!oldTags.contains(t)) {
        admin.get().put(AdminClient.path("api/v1/qubes", name, "tags", t), null);
      }
    }
    Map<String, String> oldF = Values.stringMap(prior.get("features"));
    Map<String, String> newF = Values.stringMap(p.get("features"));
    oldF.keySet().stream().filter(k -> !newF.containsKey(k)).forEach(k ->
        admin.get().delete(AdminClient.path("api/v1/qubes", name, "features", k)));
    newF.forEach((k, v) -> {
      if (!v.equals(oldF.get(k))) {
        admin.get().put(AdminClient.path("api/v1/qubes", name, "features", k), new PropertyValue(v));
      }
    });
    return requireRead(p);
  }

  @Override
  public void delete(Map<String, Object> prior) {
    String name = str(prior, "name");
    String path = AdminClient.path("api/v1/qubes", name);
    JsonNode q = admin.get().get(path).orElse(null);
    if (q == null) {
      return;
    }
    if (!"HALTED".equals(Values.text(q, "state"))) {
      admin.get().post(path + "/shutdown?force=true", null);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (q != null && !"HALTED".equals(Values.text(q, "state")) && System.nanoTime() < deadline) {
        sleep(200);
        q = admin.get().get(path).orElse(null);
      }
    }
    admin.get().delete(path);
  }

  @Override
  public Map<String, Object> read(Map<String, Object> current) {
    JsonNode q = admin.get().get(AdminClient.path("api/v1/qubes", str(current, "name"))).orElse(null);
    if (q == null) {
      return null;
    }
    return SCHEMA.complete(Values.map(
        "name", Values.text(q, "name"),
        "zone", Values.text(q, "zone"),
        "label", Values.text(q, "label"),
        "template", Values.text(q, "template"),
        "class", Values.text(q, "klass"),
        "memory", q.path("memory").asLong(),
        "vcpus", q.path("vcpus").asLong(),
        "netvm", Values.text(q, "netvm"),
        "tags", Values.keepNullWhenEmpty(current.get("tags"), Values.sortedStrings(q.get("tags"))),
        "features", Values.keepNullWhenEmpty(current.get("features"), Values.objectMap(q.get("features")))));
  }

  private Map<String, Object> requireRead(Map<String, Object> planned) {
    Map<String, Object> s = read(planned);
    if (s == null) {
      throw new ProviderException("the qube \"" + str(planned, "name") + "\" disappeared right after it was changed");
    }
    return s;
  }

  private static Integer intOrNull(Long v) {
    return v == null ? null : v.intValue();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException("interrupted");
    }
  }
}
