package io.qair.controlplane.qrexec;

import io.qair.protocol.agent.QrexecMessage;
import io.vertx.core.Future;

/** What the zone layer hands the qrexec calls of a zone's agent to. Runs on the event loop; never blocks. */
public interface CallDecider {
  /** Decides one {@code call} from {@code zone}'s agent; the answer is a {@code decision} message. */
  Future<QrexecMessage> decide(String zone, QrexecMessage call);

  /** The agent says a call is over. */
  void ended(String zone, QrexecMessage ended);

  /** The link to the zone's agent dropped: its calls in flight are over. */
  void linkLost(String zone);
}
