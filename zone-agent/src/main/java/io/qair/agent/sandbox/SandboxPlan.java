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
 * @param rootUid a TemplateVM: the host uid of root inside, the first of the template's 65536 host
 *     uids (inside uid N is host uid rootUid + N, so {@code uid == rootUid + 1000}); -1 for a qube
 *     without root, whose only inside uid is 1000 = host {@code uid}
 * @param hostNetwork the host's network namespace instead of one with only {@code lo} (a
 *     TemplateVM with feature {@code net=host})
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
    List<String> tmpfsDirs,
    int rootUid,
    boolean hostNetwork) {

  /** A qube without root and without network. */
  SandboxPlan(Path launcher, String hostname, int uid, Path root, boolean rootWritable, Path privateDir,
      Path socketDir, Path guestBinary, Path seccomp, Path passwd, Path group, List<Path> cgroupProcs,
      List<String> tmpfsDirs) {
    this(launcher, hostname, uid, root, rootWritable, privateDir, socketDir, guestBinary, seccomp, passwd, group,
        cgroupProcs, tmpfsDirs, -1, false);
  }

  boolean hasRoot() {
    return rootUid >= 0;
  }
}
