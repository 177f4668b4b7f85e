package io.qair.agent.spi;

import java.nio.file.Path;

/**
 * Where a backend keeps its state.
 *
 * @param dataDir the agent's data directory (owner-only); the backend owns {@code dataDir/qubes}
 *     (private volumes) and {@code dataDir/run} (runtime records, sockets)
 * @param templatesDir the template store: one directory per template, {@code NAME/root}
 * @param guestBinary the in-qube guest daemon, bind-mounted read-only into every qube; null for
 *     the backend's default location
 * @param zone the zone name, used to name host resources (cgroups) so zones on one host never clash
 */
public record BackendConfig(Path dataDir, Path templatesDir, Path guestBinary, String zone) {}
