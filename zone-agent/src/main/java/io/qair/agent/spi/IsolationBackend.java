package io.qair.agent.spi;

import io.qair.protocol.agent.ExecRequest;
import io.qair.protocol.agent.QubeSpec;
import io.qair.protocol.agent.QubeStatus;
import io.qair.protocol.agent.TemplateInfo;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs qubes. All methods are blocking and thread-safe; callers keep them off event loops.
 * Failures are {@link io.qair.protocol.QairException}s with a user-facing message.
 */
public interface IsolationBackend extends AutoCloseable {
  /** Short name, e.g. {@code sandbox}. */
  String name();

  /** Can this backend run on this host? Checked before {@link #init}. */
  Applicability applicability();

  void init(BackendConfig config);

  /**
   * After an agent restart: re-adopt qubes that are still running and clean up those that are
   * not (processes, mounts, cgroups, network devices). Returns the qubes that are running.
   */
  List<QubeStatus> recover();

  /**
   * Starts a halted qube; returns once it can run commands. CONFLICT if already running, NOT_FOUND
   * if its template is not installed, BAD_REQUEST for an invalid spec.
   */
  QubeStatus start(QubeSpec spec);

  /**
   * Asks the qube to stop, kills it after {@code grace}; a disposable's data is discarded (and it is
   * then unknown: NOT_FOUND). Returns once everything is cleaned up. A qube that is not running
   * answers its current status; an unknown qube is NOT_FOUND.
   */
  QubeStatus shutdown(String qube, Duration grace);

  QubeStatus status(String qube);

  List<QubeStatus> list();

  /** Deletes a halted qube's volumes. CONFLICT if it is running. Idempotent. */
  void removeVolumes(String qube);

  /**
   * Runs a command in a running qube as its unprivileged user, or as root when the request's user
   * is {@code root} and the backend gives this qube a root user (a TemplateVM); returns once it
   * was started. NOT_FOUND for an unknown qube, CONFLICT if it is not running or has no root user
   * for a root request, BAD_REQUEST for an empty argv or an unknown user.
   */
  ExecHandle exec(String qube, ExecRequest request, ExecListener listener);

  List<TemplateInfo> templates();

  /**
   * Called on every state change of a qube: STARTING, RUNNING, HALTING, HALTED during
   * {@link #start} and {@link #shutdown}, RUNNING for qubes re-adopted by {@link #recover}, and
   * HALTED or CRASHED (with a reason) when a qube stops on its own (exits, crashes, is OOM-killed).
   * A listener runs on a backend thread and must not block for long.
   */
  void onStateChange(Consumer<QubeStatus> listener);

  /**
   * Where the qrexec calls of every qube go. Every backend gives each qube a way to call (in the
   * qube: {@code /run/qair/bin/qrexec-client-vm}) and runs a called service with
   * {@code /run/qair/bin/qubes-rpc-multiplexer SERVICE[+ARG]} through {@link #exec}. Until a
   * listener is set, calls are refused (126).
   */
  default void onCall(CallListener listener) {}

  /**
   * The display of a running GUI qube (its X server, started by the backend as the qube's user with
   * {@code DISPLAY=:0} for every command), or empty for a qube without one. NOT_FOUND for an unknown
   * qube, CONFLICT if it is not running. The sockets may appear shortly after {@link #start} returns.
   */
  /**
   * The applications a qube offers (its template's {@code /usr/share/applications}, then its own
   * {@code ~/.local/share/applications}), running or not. {@code klass} and {@code template} are
   * the master's view of the qube.
   */
  default List<io.qair.protocol.agent.AppEntry> applications(String qube, String klass, String template) {
    return List.of();
  }

  default java.util.Optional<DisplayEndpoint> display(String qube) {
    return java.util.Optional.empty();
  }

  @Override
  void close();
}
