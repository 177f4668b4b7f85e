package io.qair.agent.qrexec;

import io.qair.protocol.agent.QrexecMessage;
import java.util.concurrent.CompletableFuture;

/** Who decides the zone's calls: the master, over {@link MasterLink}. */
interface CallDecisions {
  /** The decision for {@code call}; a denial when it cannot be had. */
  CompletableFuture<QrexecMessage> ask(QrexecMessage call);

  /** Call {@code id} is over. */
  void ended(String id, int exitCode);

  /** No longer waiting for call {@code id}'s decision. */
  void forget(String id);
}
