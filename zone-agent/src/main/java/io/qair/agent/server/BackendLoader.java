package io.qair.agent.server;

import io.qair.agent.spi.Applicability;
import io.qair.agent.spi.IsolationBackend;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds an isolation backend by name with {@link ServiceLoader}; says why when none fits. */
public final class BackendLoader {
  private BackendLoader() {}

  public static IsolationBackend load(String name) {
    List<String> rejected = new ArrayList<>();
    for (IsolationBackend b : ServiceLoader.load(IsolationBackend.class)) {
      if (!b.name().equals(name)) {
        rejected.add(b.name() + ": not requested");
        continue;
      }
      Applicability a = b.applicability();
      if (a.applicable()) {
        return b;
      }
      rejected.add(b.name() + ": " + a.reason());
    }
    throw new QairException(ErrorKind.UNAVAILABLE, "no usable isolation backend '" + name + "'"
        + (rejected.isEmpty() ? ": none is installed" : "; candidates: " + String.join("; ", rejected)));
  }
}
