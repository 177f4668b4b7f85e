package io.qair.cloud.bootstrap;

import io.qair.protocol.QairException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** After a failed provision, remove what it made, so a failure leaves nothing in the cloud account. */
public final class FailedProvision {
  private static final Logger LOG = LoggerFactory.getLogger(FailedProvision.class);

  private FailedProvision() {}

  /**
   * Runs {@code deprovision} for the zone and returns {@code failure} to throw; a failure of the
   * clean-up itself is logged and attached to it as suppressed.
   */
  public static QairException cleanUp(String zone, QairException failure, Consumer<String> deprovision) {
    try {
      deprovision.accept(zone);
    } catch (RuntimeException e) {
      LOG.warn("zone {}: cleaning up after a failed provision failed too: {}", zone, e.toString());
      failure.addSuppressed(e);
    }
    return failure;
  }
}
