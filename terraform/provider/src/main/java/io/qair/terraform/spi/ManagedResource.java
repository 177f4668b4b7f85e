package io.qair.terraform.spi;

import java.util.List;
import java.util.Map;

/**
 * One managed resource type. Values are decoded cty values (see {@code Msgpack}): objects as
 * maps with every schema attribute present. A method fails with {@link ProviderException}.
 */
public interface ManagedResource {

  String typeName();

  TypeSchema schema();

  /** Checks a configuration (values may be unknown). */
  void validate(Map<String, Object> config, Diagnostics diagnostics);

  /**
   * The planned state from the proposed one: unknown where the master will decide. The
   * attributes that force a replacement are found by the caller from the schema.
   */
  Map<String, Object> plan(Map<String, Object> prior, Map<String, Object> proposed);

  /** Creates the object described by {@code planned}; returns the new state. */
  Map<String, Object> create(Map<String, Object> planned);

  /** Changes the object in place; returns the new state. */
  Map<String, Object> update(Map<String, Object> prior, Map<String, Object> planned);

  void delete(Map<String, Object> prior);

  /** The state as it is now, or null when the object is gone (Terraform plans to create it). */
  Map<String, Object> read(Map<String, Object> current);

  /** The states imported for {@code id}. */
  List<Map<String, Object>> importState(String id);
}
