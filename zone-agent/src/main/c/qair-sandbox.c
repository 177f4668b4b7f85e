/*
 * qair-sandbox: the first process of a qube, started by the agent as root.
 *
 *   qair-sandbox ROOT HOME|- SOCKDIR GUEST SECCOMP PASSWD GROUP CGROUP_PROCS... -- COMMAND [ARG...]
 *
 * 1. Writes its pid into every CGROUP_PROCS file: the qube's limits apply from here on, to
 *    everything it will run.
 * 2. Enters a new mount namespace that only this qube's processes share (nothing it mounts is
 *    visible on the host, and it vanishes with the qube).
 * 3. Opens the sources while it is still root (the agent's data directory is owner-only):
 *    ROOT, HOME, SOCKDIR and GUEST as O_PATH descriptors; SECCOMP, PASSWD and GROUP for reading as
 *    descriptors 7, 8 and 9, which the sandbox command line names (bwrap --seccomp 7 ...). Then it
 *    mounts a small tmpfs on /tmp and binds the sources under /tmp/.qair, where the qube's
 *    unprivileged uid can reach them.
 * 4. Execs COMMAND (setpriv, which drops to the qube's uid and execs bwrap).
 *
 * It replaces a shell script with five helper processes (unshare, sh, mount...) to keep qube start
 * fast. Any failure is fatal and explained on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAGE "/tmp/.qair"

static void die(const char *what, const char *arg) {
  fprintf(stderr, "qair-sandbox: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
  exit(125);
}

static int open_path(const char *path, int flags) {
  int fd = open(path, flags | O_CLOEXEC);
  if (fd < 0) die("cannot open", path);
  return fd;
}

/* Opens path for reading onto exactly descriptor target (inherited by COMMAND). */
static void open_onto(const char *path, int target) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0) die("cannot open", path);
  if (fd != target) {
    if (dup2(fd, target) < 0) die("cannot duplicate descriptor for", path);
    close(fd);
  }
}

static void bind_fd(int fd, const char *target, unsigned long flags) {
  char src[64];
  snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
  if (mount(src, target, NULL, MS_BIND | flags, NULL) < 0) die("cannot bind onto", target);
}

int main(int argc, char **argv) {
  int i, sep = -1;
  int root, home = -1, sock, guest;
  char pid[32];

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      sep = i;
      break;
    }
  }
  if (sep < 8 || sep + 1 >= argc) {
    fprintf(stderr, "usage: qair-sandbox ROOT HOME|- SOCKDIR GUEST SECCOMP PASSWD GROUP CGROUP_PROCS..."
                    " -- COMMAND [ARG...]\n");
    return 2;
  }
  snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
  for (i = 8; i < sep; i++) {
    int fd = open(argv[i], O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, pid, strlen(pid)) < 0) die("cannot join cgroup", argv[i]);
    close(fd);
  }

  /* The sources are opened in the new namespace: a bind mount's source must be in the caller's. */
  if (unshare(CLONE_NEWNS) < 0) die("cannot create a mount namespace", NULL);
  if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) die("cannot make mounts private", NULL);

  /* Descriptors 3-9 are ours: the agent's process builder passes only 0, 1 and 2. */
  open_onto(argv[5], 7);
  open_onto(argv[6], 8);
  open_onto(argv[7], 9);
  root = open_path(argv[1], O_PATH | O_DIRECTORY);
  if (strcmp(argv[2], "-") != 0) home = open_path(argv[2], O_PATH | O_DIRECTORY | O_NOFOLLOW);
  sock = open_path(argv[3], O_PATH | O_DIRECTORY | O_NOFOLLOW);
  guest = open_path(argv[4], O_PATH);
  if (mount("qair-stage", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=256k") < 0) {
    die("cannot mount the staging tmpfs on", "/tmp");
  }
  if (mkdir(STAGE, 0755) < 0 || mkdir(STAGE "/root", 0755) < 0 || mkdir(STAGE "/home", 0755) < 0
      || mkdir(STAGE "/sock", 0755) < 0) {
    die("cannot create", STAGE);
  }
  i = open(STAGE "/guest", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
  if (i < 0) die("cannot create", STAGE "/guest");
  close(i);
  bind_fd(root, STAGE "/root", 0);
  bind_fd(sock, STAGE "/sock", 0);
  bind_fd(guest, STAGE "/guest", 0);
  if (home >= 0) bind_fd(home, STAGE "/home", 0);

  execvp(argv[sep + 1], argv + sep + 1);
  die("cannot execute", argv[sep + 1]);
  return 125;
}
