package io.qair.terraform.impl;

import static io.qair.terraform.impl.Values.str;

import io.qair.protocol.api.PolicyText;
import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.Diagnostics;
import io.qair.terraform.spi.ProviderException;
import io.qair.terraform.spi.TypeSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code qair_policy}: one qrexec policy file in the master's policy.d. The master checks the
 * text before it writes it; its errors ({@code FILE:LINE: why}) point at {@code text}.
 */
final class PolicyResource extends AbstractResource {
  private static final TypeSchema SCHEMA = new TypeSchema(0, "A qrexec policy file.", List.of(
      Attr.required("name", Attr.STRING, "file name without .policy, e.g. 30-work (evaluation order)").replacing(),
      Attr.required("text", Attr.STRING, "the policy rules")));

  PolicyResource(Supplier<AdminClient> admin) {
    super("qair_policy", SCHEMA, admin);
  }

  @Override
  public void validate(Map<String, Object> c, Diagnostics d) {
    String name = str(c, "name");
    if (name != null && !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      d.attributeError("name", "Invalid policy name", "use letters, digits, '_', '.', '-' (at most 64)");
    }
  }

  @Override
  public Map<String, Object> create(Map<String, Object> planned) {
    write(planned);
    return SCHEMA.complete(planned);
  }

  @Override
  public Map<String, Object> update(Map<String, Object> prior, Map<String, Object> planned) {
    return create(planned);
  }

  private void write(Map<String, Object> p) {
    try {
      admin.get().put(AdminClient.path("api/v1/policies", str(p, "name")), new PolicyText(str(p, "text")));
    } catch (AdminClient.AdminApiException e) {
      throw e.status() == 400 ? new ProviderException("text", e.getMessage()) : e;
    }
  }

  @Override
  public void delete(Map<String, Object> prior) {
    admin.get().delete(AdminClient.path("api/v1/policies", str(prior, "name")));
  }

  @Override
  public Map<String, Object> read(Map<String, Object> current) {
    return admin.get().get(AdminClient.path("api/v1/policies", str(current, "name")))
        .map(f -> SCHEMA.complete(Values.map("name", str(current, "name"), "text", Values.text(f, "text"))))
        .orElse(null);
  }
}
