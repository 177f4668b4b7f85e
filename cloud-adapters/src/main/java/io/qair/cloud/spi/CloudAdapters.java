package io.qair.cloud.spi;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds adapters with {@link ServiceLoader}. */
public final class CloudAdapters {
  private CloudAdapters() {}

  /** Every adapter on the class path, not yet initialised. */
  public static List<CloudAdapter> available() {
    List<CloudAdapter> all = new ArrayList<>();
    ServiceLoader.load(CloudAdapter.class).forEach(all::add);
    return all;
  }

  /**
   * The adapter named {@code provider}, initialised with {@code context}: BAD_REQUEST listing
   * every installed adapter when none has that name, UNAVAILABLE with the reason when it cannot
   * work here.
   */
  public static CloudAdapter load(String provider, AdapterContext context) {
    List<String> candidates = new ArrayList<>();
    for (CloudAdapter a : available()) {
      if (a.name().equals(provider)) {
        a.init(context);
        var reason = a.unavailableReason();
        if (reason.isPresent()) {
          throw QairException.unavailable("the '" + provider + "' cloud adapter cannot be used here: "
              + reason.get(), null);
        }
        return a;
      }
      candidates.add(a.name());
    }
    throw QairException.badRequest("unknown provider '" + Names.printable(provider) + "': use one of "
        + (candidates.isEmpty() ? "(none installed)" : String.join(", ", candidates)));
  }
}
