package io.qair.agent.spi;

import io.qair.protocol.QairException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds an isolation backend with {@link ServiceLoader}. */
public final class IsolationBackends {
  private IsolationBackends() {}

  /**
   * The backend named {@code preferred} (or, when null or empty, the first that can run here),
   * not yet initialised. When none can run, the error lists every candidate and why it was
   * rejected.
   */
  public static IsolationBackend select(String preferred) {
    return select(preferred, ServiceLoader.load(IsolationBackend.class).stream().map(ServiceLoader.Provider::get).toList());
  }

  static IsolationBackend select(String preferred, List<IsolationBackend> candidates) {
    List<String> rejected = new ArrayList<>();
    for (IsolationBackend b : candidates) {
      if (preferred != null && !preferred.isEmpty() && !preferred.equals(b.name())) {
        rejected.add(b.name() + ": not the configured backend '" + preferred + "'");
        continue;
      }
      Applicability a = b.applicability();
      if (a.applicable()) {
        return b;
      }
      rejected.add(b.name() + ": " + a.reason());
    }
    if (candidates.isEmpty()) {
      rejected.add("no backend is installed (META-INF/services/" + IsolationBackend.class.getName() + ")");
    }
    throw new QairException(io.qair.protocol.ErrorKind.UNAVAILABLE,
        "no isolation backend can run on this host" + (preferred == null || preferred.isEmpty() ? "" : " as '" + preferred + "'")
            + ":\n  - " + String.join("\n  - ", rejected));
  }
}
