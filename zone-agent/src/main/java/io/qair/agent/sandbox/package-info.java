/**
 * The {@code sandbox} isolation backend: qubes as bubblewrap sandboxes on the local Linux host.
 *
 * <h2>Walls</h2>
 * <ul>
 *   <li>New user, mount, PID, IPC, UTS, network and cgroup namespaces. The network namespace has
 *       only {@code lo}; {@code netvm} is ignored for now (no veths are ever created). The one
 *       exception: a TemplateVM with feature {@code net=host}.
 *   <li>Every qube runs under its own host uid ({@code 200000 + n}, claimed host-wide in
 *       {@code /var/lib/qair/sandbox-uids}); bubblewrap itself is started as that uid through
 *       {@code setpriv} with no capabilities, no groups and no_new_privs, so the sandbox never holds
 *       host root. Inside, the user is uid 1000 {@code user}, {@code HOME=/home/user}.
 *   <li>Root filesystem: the template, read-only. {@code /tmp}, {@code /run}, {@code /home},
 *       {@code /var/tmp}, {@code /var/log}, {@code /var/cache} are tmpfs, thrown away at shutdown.
 *       {@code /home/user} is the private volume ({@code dataDir/qubes/NAME/private}, owned by the
 *       qube's uid, mode 0700), or a tmpfs for a DispVM. A TemplateVM gets its template root
 *       read-write (its AppVMs see the change) and a root user: its user namespace maps inside
 *       uids 0-65535 onto the template's own range of host uids, the template's files are re-owned
 *       to that range once ({@link io.qair.agent.sandbox.TemplateOwnership}), the launcher makes
 *       the namespace ({@code qair-sandbox -u BASE}), and the guest daemon runs as inside root with
 *       {@link io.qair.agent.sandbox.BwrapCommand#ROOT_CAPABILITIES}, dropping to uid 1000 for
 *       every command not asked for as root. With feature {@code net=host} a TemplateVM shares the
 *       host's network. A StandaloneVM gets a {@code cp -a} of its template on first start.
 *   <li>A seccomp filter ({@link io.qair.agent.sandbox.SeccompFilter}) denies kernel keyrings, eBPF,
 *       perf, userfaultfd, kexec, modules, mounts, ptrace, nested user namespaces and more.
 *   <li>cgroup v1 limits under {@code /sys/fs/cgroup/CTRL/qair/ZONE/QUBE}: memory (and memsw),
 *       CPU quota = vcpus × period, 512 pids. The launcher ({@code src/main/c/qair-sandbox.c})
 *       joins them before it execs anything else. When the kernel's OOM killer strikes in a qube, the whole qube is killed and
 *       reported CRASHED with the reason.
 * </ul>
 *
 * <h2>Life of a qube</h2>
 * {@link io.qair.agent.sandbox.BwrapCommand} builds the launch command; the qube's main process is
 * the guest daemon ({@code src/main/c/qair-guest.c}), which connects to the agent's socket
 * {@code dataDir/run/sock/NAME/agent.sock} (seen inside as {@code /run/qair/agent.sock}) and runs
 * commands for it (see {@link io.qair.agent.guest}). Shutdown sends SIGTERM to every process of the
 * qube and freezes and SIGKILLs whatever is left after the grace period. The staging mounts live in a
 * mount namespace private to the qube's processes, so the host never sees a qube mount.
 *
 * <h2>Crash safety</h2>
 * {@code dataDir/run/NAME.json} records the outer bwrap's pid and start time, the uid and the
 * memory limit. Qubes are not tied to the agent's life (no {@code --die-with-parent}): after a
 * restart, {@code recover()} re-creates each socket at the same path, waits for the guest to
 * reconnect (it retries for 5 minutes) and re-adopts the qube; anything else (dead qubes, stray
 * cgroups, sockets, disposables' volumes) is cleaned up.
 */
package io.qair.agent.sandbox;
