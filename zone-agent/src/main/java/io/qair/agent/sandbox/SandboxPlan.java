package io.qair.agent.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * What one sandbox start needs, resolved from a qube spec: the input of {@link BwrapCommand}.
 *
 * @param launcher the {@code qair-sandbox} binary that stages mounts and joins cgroups as root
 * @param rootWritable TemplateVM and StandaloneVM: the root is bound read-write
 * @param privateDir the private volume, or null for a disposable (tmpfs, thrown away)
 * @param tmpfsDirs directories of the root that get a throw-away tmpfs
 */
record SandboxPlan(
    Path launcher,
    String hostname,
    int uid,
    Path root,
    boolean rootWritable,
    Path privateDir,
    Path socketDir,
    Path guestBinary,
    Path seccomp,
    Path passwd,
    Path group,
    List<Path> cgroupProcs,
    List<String> tmpfsDirs) {}
