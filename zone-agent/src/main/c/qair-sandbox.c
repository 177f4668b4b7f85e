/*
 * qair-sandbox: the first process of a qube, started by the agent as root.
 *
 *   qair-sandbox [-u BASE] ROOT HOME|- SOCKDIR GUEST SECCOMP PASSWD GROUP CGROUP_PROCS... -- COMMAND [ARG...]
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
 * 4. With -u BASE (a TemplateVM): makes the qube's user namespace, owned by host uid BASE, that
 *    maps uids and gids 0-65535 inside to BASE..BASE+65535 outside, and leaves it on descriptor 6
 *    (bwrap --userns 6). Only root can write a multi-line map, and the namespace must belong to
 *    BASE for the unprivileged bwrap to join it: a child drops to BASE and unshares, this process
 *    writes the child's maps, keeps a handle on the namespace and lets the child go.
 * 5. Execs COMMAND (setpriv, which drops to the qube's uid and execs bwrap).
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
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
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

#define RANGE 65536UL
#define USERNS_FD 6

static void write_map(pid_t pid, const char *file, const char *map) {
  char path[64];
  int fd;
  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
  fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, map, strlen(map)) != (ssize_t)strlen(map)) die("cannot write", path);
  close(fd);
}

/* A user namespace owned by host uid base, mapping 0..RANGE-1 onto base.., on USERNS_FD. */
static void make_userns(unsigned long base) {
  int ready[2], go[2], fd, status;
  char map[64], path[64], b = 0;
  pid_t child;
  if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) die("cannot create a pipe", NULL);
  child = fork();
  if (child < 0) die("cannot fork", NULL);
  if (child == 0) {
    close(ready[0]);
    close(go[1]);
    if (setgroups(0, NULL) < 0 || setresgid(base, base, base) < 0 || setresuid(base, base, base) < 0
        || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0 || unshare(CLONE_NEWUSER) < 0) {
      fprintf(stderr, "qair-sandbox: cannot create the user namespace: %s\n", strerror(errno));
      _exit(125);
    }
    if (write(ready[1], "r", 1) != 1) _exit(125);
    if (read(go[0], &b, 1) < 0) _exit(125); /* end of file: the parent has the namespace */
    _exit(0);
  }
  close(ready[1]);
  close(go[0]);
  if (read(ready[0], &b, 1) != 1) {
    waitpid(child, NULL, 0);
    errno = EPERM;
    die("the user namespace helper failed", NULL);
  }
  snprintf(map, sizeof(map), "0 %lu %lu\n", base, RANGE);
  write_map(child, "uid_map", map);
  write_map(child, "gid_map", map);
  snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("cannot open", path);
  close(go[1]);
  close(ready[0]);
  if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    errno = ECHILD;
    die("the user namespace helper failed", NULL);
  }
  if (fd == USERNS_FD) {
    if (fcntl(fd, F_SETFD, 0) < 0) die("cannot keep the user namespace descriptor", NULL);
  } else {
    if (dup2(fd, USERNS_FD) < 0) die("cannot duplicate the user namespace descriptor", NULL);
    close(fd);
  }
}

/* Parses a uid range base: decimal digits only, at least 1 and leaving room for the range. */
static unsigned long parse_base(const char *s) {
  char *end;
  unsigned long v;
  errno = 0;
  if (s[0] < '0' || s[0] > '9') v = 0;
  else v = strtoul(s, &end, 10);
  if (v == 0 || errno || *end || v + RANGE > 0xfffffffeUL) {
    fprintf(stderr, "qair-sandbox: invalid uid range base '%.20s'\n", s);
    exit(2);
  }
  return v;
}

static void bind_fd(int fd, const char *target, unsigned long flags) {
  char src[64];
  snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
  if (mount(src, target, NULL, MS_BIND | flags, NULL) < 0) die("cannot bind onto", target);
}

int main(int argc, char **argv) {
  int i, sep = -1;
  int root, home = -1, sock, guest;
  unsigned long base = 0;
  char pid[32];

  if (argc > 2 && strcmp(argv[1], "-u") == 0) {
    base = parse_base(argv[2]);
    argv[2] = argv[0];
    argv += 2;
    argc -= 2;
  }
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      sep = i;
      break;
    }
  }
  if (sep < 8 || sep + 1 >= argc) {
    fprintf(stderr, "usage: qair-sandbox [-u BASE] ROOT HOME|- SOCKDIR GUEST SECCOMP PASSWD GROUP CGROUP_PROCS..."
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
  if (base) make_userns(base);
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
