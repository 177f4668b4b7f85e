package io.qair.terraform.impl;

import static io.qair.terraform.impl.Values.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.protocol.api.ZoneCreate;
import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.Diagnostics;
import io.qair.terraform.spi.ProviderException;
import io.qair.terraform.spi.TypeSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code qair_zone}: a zone the master provisions through a cloud adapter. Create waits until
 * the zone is READY; every argument but {@code force_destroy} forces a new zone.
 */
final class ZoneResource extends AbstractResource {
  private static final long READY_TIMEOUT_NANOS = 15 * 60 * 1_000_000_000L;
  private static final long CONFLICT_RETRY_NANOS = 60 * 1_000_000_000L;
  private static final TypeSchema SCHEMA = new TypeSchema(0, "A zone.", List.of(
      Attr.required("name", Attr.STRING, "zone name (lower-case letters, digits, '-')").replacing(),
      Attr.optionalComputed("provider_kind", Attr.STRING, "cloud adapter: local (default), aws or gcp").replacing(),
      Attr.optional("region", Attr.STRING, "cloud region").replacing(),
      Attr.optional("options", Attr.STRING_MAP, "adapter options (instance_type, ...)").replacing(),
      Attr.optional("force_destroy", Attr.BOOL, "destroy also removes qubes Terraform does not manage"
          + " (as `qair zone rm --force`); default false: destroy fails while the zone has qubes"),
      Attr.computed("state", Attr.STRING, "READY, UNREACHABLE, ..."),
      Attr.computed("address", Attr.STRING, "the zone agent's address")));

  ZoneResource(Supplier<AdminClient> admin) {
    super("qair_zone", SCHEMA, admin);
  }

  @Override
  public void validate(Map<String, Object> c, Diagnostics d) {
    String name = str(c, "name");
    if (name != null && !name.matches("[a-z][a-z0-9-]{0,30}")) {
      d.attributeError("name", "Invalid zone name",
          "a zone name starts with a lower-case letter and uses only a-z, 0-9 and '-' (at most 31)");
    }
    String kind = str(c, "provider_kind");
    if (kind != null && !Set.of("local", "aws", "gcp").contains(kind)) {
      d.attributeError("provider_kind", "Unknown zone provider", "use local, aws or gcp");
    }
  }

  @Override
  public Map<String, Object> create(Map<String, Object> p) {
    String name = str(p, "name");
    String kind = str(p, "provider_kind") == null ? "local" : str(p, "provider_kind");
    Map<String, String> options = p.get("options") == null ? null : Values.stringMap(p.get("options"));
    admin.get().post("/api/v1/zones", new ZoneCreate(name, kind, str(p, "region"), options));
    long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
    while (true) {
      JsonNode z = admin.get().get(AdminClient.path("api/v1/zones", name)).orElseThrow(() ->
          new ProviderException("the zone \"" + name + "\" disappeared while it was being provisioned"));
      String state = Values.text(z, "state");
      if ("READY".equals(state)) {
        return toState(z, p);
      }
      if ("FAILED".equals(state) || System.nanoTime() > deadline) {
        throw new ProviderException("the zone \"" + name + "\" did not become READY (" + state + "): "
            + Values.text(z, "reason") + ". Remove it with `qair zone rm " + name + "` and apply again.");
      }
      QubeResource.sleep(500);
    }
  }

  @Override
  public Map<String, Object> update(Map<String, Object> prior, Map<String, Object> planned) {
    return read(planned);
  }

  @Override
  public void delete(Map<String, Object> prior) {
    String path = AdminClient.path("api/v1/zones", str(prior, "name"));
    String deletePath = path + (Boolean.TRUE.equals(prior.get("force_destroy")) ? "?force=true" : "");
    // qubes Terraform has just removed may still count for a moment: CONFLICT is retried briefly
    long conflictDeadline = System.nanoTime() + CONFLICT_RETRY_NANOS;
    while (true) {
      try {
        if (!admin.get().delete(deletePath)) {
          return;
        }
        break;
      } catch (AdminClient.AdminApiException e) {
        if (e.status() != 409 || System.nanoTime() > conflictDeadline) {
          throw e;
        }
        QubeResource.sleep(1000);
      }
    }
    long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
    while (admin.get().get(path).isPresent() && System.nanoTime() < deadline) {
      QubeResource.sleep(500);
    }
  }

  @Override
  public Map<String, Object> read(Map<String, Object> current) {
    return admin.get().get(AdminClient.path("api/v1/zones", str(current, "name")))
        .map(z -> toState(z, current)).orElse(null);
  }

  private static Map<String, Object> toState(JsonNode z, Map<String, Object> prior) {
    return SCHEMA.complete(Values.map(
        "name", Values.text(z, "name"),
        "provider_kind", Values.text(z, "provider"),
        "region", Values.text(z, "region"),
        "options", Values.keepNullWhenEmpty(prior.get("options"), Values.objectMap(z.get("options"))),
        "force_destroy", prior.get("force_destroy"),
        "state", Values.text(z, "state"),
        "address", Values.text(z, "address")));
  }
}
