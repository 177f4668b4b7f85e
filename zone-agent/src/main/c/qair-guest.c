/*
 * qair-guest: the in-qube guest daemon of the sandbox backend.
 *
 * It is the qube's main process. It connects to the agent's unix socket (bind-mounted read-only
 * into the qube), sends HELLO and waits for EXEC frames on that control connection. For every
 * EXEC it forks a handler that opens a new connection to the same socket, sends DATA_HELLO(id),
 * runs the command as the qube user (stdin/stdout/stderr on pipes) and relays STDIN, STDOUT and
 * STDERR frames until the command is done, then sends EXIT.
 *
 * Frames: 1 byte type, u32 big-endian length, payload of at most 65536 bytes (the protocol
 * module's qrexec Frame). An empty STDIN/STDOUT/STDERR frame is end of file. When the agent
 * closes (or half-closes) a data connection, the command's process group gets SIGTERM, and SIGKILL
 * 3 s later if it is still there.
 *
 * If the control connection breaks (agent restart), the daemon reconnects for a while (-r).
 * SIGTERM: every process of the qube gets SIGTERM, the daemon waits for them briefly, exits 0.
 *
 * Everything the agent sends is length-checked; nothing here trusts a length it did not bound.
 *
 * Users. In an AppVM the daemon runs as the qube user (uid 1000) with no capabilities, and it
 * refuses EXEC_ROOT. In a TemplateVM it runs as root of the qube's user namespace (which maps the
 * template's host uid range; see qair-sandbox.c) with the few capabilities package managers need:
 * an EXEC command drops to uid/gid 1000 (no supplementary groups, which clears every capability)
 * before it runs, an EXEC_ROOT command keeps root. Only the agent sends EXEC frames; qrexec
 * services always arrive as EXEC.
 *
 * The same binary has two more modes, chosen by the name it is run as (the sandbox backend links
 * it into /run/qair/bin): qrexec-client-vm (a qube calls a service in another qube) and
 * qubes-rpc-multiplexer (the agent runs a called service in the target qube).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAYLOAD 65536
#define MAX_ARGS 1024
#define MAX_ENV 1024

enum {
  T_STDIN = 0, T_STDOUT = 1, T_STDERR = 2, T_EXIT = 3, T_ERROR = 4,
  T_HELLO = 0x20, T_EXEC = 0x21, T_DATA_HELLO = 0x22, T_CALL = 0x23, T_EXEC_ROOT = 0x24
};

#define QUBE_USER 1000

/* Exit codes as in Qubes qrexec. */
#define EXIT_REFUSED 126
#define EXIT_NO_SERVICE 127

static const char *sock_path = "/run/qair/agent.sock";
static int reconnect_seconds = 300;
static volatile sig_atomic_t terminating;
extern char **environ;

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(long ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

static int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Reads exactly len bytes; returns 0, or -1 on error or end of stream. */
static int read_all(int fd, void *buf, size_t len) {
  char *p = buf;
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0) {
      if (errno == EINTR && !terminating) continue;
      return -1;
    }
    if (n == 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static void put_u32(unsigned char *b, uint32_t v) {
  b[0] = (unsigned char)(v >> 24); b[1] = (unsigned char)(v >> 16);
  b[2] = (unsigned char)(v >> 8); b[3] = (unsigned char)v;
}

static uint32_t get_u32(const unsigned char *b) {
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static int send_frame(int fd, int type, const void *data, uint32_t len) {
  unsigned char h[5];
  if (len > MAX_PAYLOAD) return -1;
  h[0] = (unsigned char)type;
  put_u32(h + 1, len);
  if (write_all(fd, h, 5) < 0) return -1;
  return len ? write_all(fd, data, len) : 0;
}

static int connect_once(void) {
  struct sockaddr_un a;
  int fd;
  if (strlen(sock_path) >= sizeof(a.sun_path)) return -1;
  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  memset(&a, 0, sizeof(a));
  a.sun_family = AF_UNIX;
  strcpy(a.sun_path, sock_path);
  if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Connects, retrying with a short, growing back-off until the deadline. */
static int connect_retry(long deadline_ms) {
  long backoff = 2;
  for (;;) {
    int fd = connect_once();
    if (fd >= 0 || terminating || now_ms() >= deadline_ms) return fd;
    sleep_ms(backoff);
    if (backoff < 200) backoff *= 2;
  }
}

/* ---- one command: runs in a forked handler process ---- */

struct exec_req {
  uint32_t id;
  int root;
  char *argv[MAX_ARGS + 1];
  char *env[MAX_ENV + 1];
  int nenv;
};

/* Parses an untrusted EXEC payload: u32 id, u32 argc, argc+env NUL-terminated strings. */
static int parse_exec(unsigned char *p, uint32_t len, struct exec_req *r) {
  uint32_t argc, off = 8;
  int i;
  if (len < 8) return -1;
  r->id = get_u32(p);
  argc = get_u32(p + 4);
  if (argc < 1 || argc > MAX_ARGS) return -1;
  if (len > 8 && p[len - 1] != '\0') return -1;
  for (i = 0; i < (int)argc; i++) {
    char *s = (char *)p + off;
    char *z;
    if (off >= len) return -1;
    z = memchr(s, '\0', len - off);
    if (!z) return -1;
    r->argv[i] = s;
    off += (uint32_t)(z - s) + 1;
  }
  r->argv[argc] = NULL;
  if (r->argv[0][0] == '\0') return -1;
  r->nenv = 0;
  while (off < len) {
    char *s = (char *)p + off;
    char *z = memchr(s, '\0', len - off);
    if (!z || r->nenv >= MAX_ENV || !strchr(s, '=') || s[0] == '=') return -1;
    r->env[r->nenv++] = s;
    off += (uint32_t)(z - s) + 1;
  }
  r->env[r->nenv] = NULL;
  return 0;
}

static int has_key(char **env, int n, const char *entry) {
  size_t k = strcspn(entry, "=");
  for (int i = 0; i < n; i++) {
    if (strncmp(env[i], entry, k) == 0 && env[i][k] == '=') return 1;
  }
  return 0;
}

/*
 * As root of a TemplateVM, becomes the qube user for a user command. setresuid from 0 to all
 * non-zero ids empties the permitted, effective and ambient capability sets; no_new_privs (set
 * before the sandbox started) and nosuid mounts keep any later exec from gaining them back.
 */
static void become_user(void) {
  gid_t g = QUBE_USER;
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (setgroups(1, &g) < 0 || setresgid(QUBE_USER, QUBE_USER, QUBE_USER) < 0
      || setresuid(QUBE_USER, QUBE_USER, QUBE_USER) < 0 || getuid() != QUBE_USER || geteuid() != QUBE_USER) {
    dprintf(2, "qair-guest: cannot become the qube user: %s\n", strerror(errno));
    _exit(126);
  }
}

static void run_command(struct exec_req *r) {
  static const char *user_base[] = {
    "HOME=/home/user", "USER=user", "LOGNAME=user", "SHELL=/bin/sh",
    "PATH=/usr/local/bin:/usr/bin:/bin:/run/qair/bin", "LANG=C.UTF-8", "DISPLAY=:0", NULL
  };
  static const char *root_base[] = {
    "HOME=/root", "USER=root", "LOGNAME=root", "SHELL=/bin/sh",
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/run/qair/bin", "LANG=C.UTF-8",
    "DEBIAN_FRONTEND=noninteractive", NULL
  };
  const char **base = r->root ? root_base : user_base;
  static char *env[MAX_ENV + 8];
  int n = 0;
  sigset_t none;
  if (!r->root && getuid() == 0) become_user();
  for (int i = 0; i < r->nenv; i++) env[n++] = r->env[i];
  for (int i = 0; base[i]; i++) {
    if (!has_key(r->env, r->nenv, base[i])) env[n++] = (char *)base[i];
  }
  env[n] = NULL;
  signal(SIGPIPE, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGCHLD, SIG_DFL);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (chdir(r->root ? "/root" : "/home/user") < 0 && chdir("/") < 0) _exit(127);
  environ = env;
  execvp(r->argv[0], r->argv);
  dprintf(2, "qair-guest: cannot execute '%.200s': %s\n", r->argv[0], strerror(errno));
  _exit(127);
}

/* The command's process group, and the command itself in case it has not called setsid() yet. */
static void kill_command(pid_t pid) {
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
}

/* How long a command stopped by the agent has to clean up (SIGTERM) before SIGKILL. */
#define STOP_GRACE_MS 3000

/* SIGTERM now, so a service can remove what it left half done (the Filecopy receiver's temporary
 * folder); SIGKILL when the grace is over (returned: the time to do it). */
static long stop_command(pid_t pid) {
  kill(-pid, SIGTERM);
  kill(pid, SIGTERM);
  return now_ms() + STOP_GRACE_MS;
}

static void set_nonblock(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void handle_exec(struct exec_req *r) {
  static unsigned char buf[MAX_PAYLOAD];
  static unsigned char in_buf[MAX_PAYLOAD];
  static unsigned char obuf[MAX_PAYLOAD];
  unsigned char hdr[5], idb[4];
  int in[2], out[2], err[2];
  int s, status, code;
  int in_w, out_r, err_r, sock_open = 1;
  size_t hdr_fill = 0, pay_len = 0, pay_fill = 0, pend = 0, pend_off = 0;
  int in_payload = 0;
  long kill_at = 0;
  pid_t pid;

  signal(SIGCHLD, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  s = connect_once();
  if (s < 0) _exit(1);
  put_u32(idb, r->id);
  if (send_frame(s, T_DATA_HELLO, idb, 4) < 0) _exit(1);
  if (r->root && getuid() != 0) {
    const char *m = "this qube has no root user: only a TemplateVM does (install software in the template)";
    send_frame(s, T_ERROR, m, (uint32_t)strlen(m));
    put_u32(idb, EXIT_REFUSED);
    send_frame(s, T_EXIT, idb, 4);
    _exit(0);
  }
  if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) _exit(1);
  pid = fork();
  if (pid < 0) {
    const char *m = "qair-guest: fork failed";
    send_frame(s, T_ERROR, m, (uint32_t)strlen(m));
    put_u32(idb, 126);
    send_frame(s, T_EXIT, idb, 4);
    _exit(1);
  }
  if (pid == 0) {
    setsid();
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(s);
    run_command(r);
  }
  close(in[0]); close(out[1]); close(err[1]);
  in_w = in[1]; out_r = out[0]; err_r = err[0];
  set_nonblock(in_w);

  while (out_r >= 0 || err_r >= 0) {
    struct pollfd p[4];
    int np = 0, is = -1, iw = -1, io = -1, ie = -1;
    if (sock_open && pend == 0) { is = np; p[np].fd = s; p[np++].events = POLLIN; }
    if (in_w >= 0 && pend > 0) { iw = np; p[np].fd = in_w; p[np++].events = POLLOUT; }
    if (out_r >= 0) { io = np; p[np].fd = out_r; p[np++].events = POLLIN; }
    if (err_r >= 0) { ie = np; p[np].fd = err_r; p[np++].events = POLLIN; }
    int wait = -1;
    if (kill_at) {
      long left = kill_at - now_ms();
      wait = left < 0 ? 0 : (int)left;
    }
    if (poll(p, (nfds_t)np, wait) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (kill_at && now_ms() >= kill_at) {
      kill_command(pid);
      kill_at = 0;
    }
    if (is >= 0 && p[is].revents) {
      /* Read exactly what the current frame still needs: never more than one frame. */
      ssize_t n;
      if (!in_payload) n = read(s, hdr + hdr_fill, 5 - hdr_fill);
      else n = read(s, buf + pay_fill, pay_len - pay_fill);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        /* The agent closed the stream: stop the command. */
        sock_open = 0;
        kill_at = stop_command(pid);
        if (in_w >= 0) { close(in_w); in_w = -1; }
        pend = 0;
        continue;
      }
      if (!in_payload) {
        hdr_fill += (size_t)n;
        if (hdr_fill == 5) {
          pay_len = get_u32(hdr + 1);
          if (hdr[0] != T_STDIN || pay_len > MAX_PAYLOAD) {
            /* Protocol error from the agent side: stop as if the stream was closed. */
            sock_open = 0;
            kill_at = stop_command(pid);
            continue;
          }
          pay_fill = 0;
          in_payload = 1;
        }
      } else {
        pay_fill += (size_t)n;
      }
      if (in_payload && pay_fill == pay_len) {
        in_payload = 0;
        hdr_fill = 0;
        if (pay_len == 0) {
          if (in_w >= 0) { close(in_w); in_w = -1; }
        } else if (in_w >= 0) {
          memcpy(in_buf, buf, pay_len);
          pend = pay_len;
          pend_off = 0;
        }
      }
    }
    if (iw >= 0 && p[iw].revents) {
      ssize_t n = write(in_w, in_buf + pend_off, pend - pend_off);
      if (n < 0 && errno != EAGAIN && errno != EINTR) {
        close(in_w); in_w = -1; pend = 0;  /* the command closed its stdin */
      } else if (n > 0) {
        pend_off += (size_t)n;
        if (pend_off == pend) pend = 0;
      }
    }
    for (int k = 0; k < 2; k++) {
      int idx = k == 0 ? io : ie;
      int *fd = k == 0 ? &out_r : &err_r;
      if (idx >= 0 && p[idx].revents) {
        ssize_t n = read(*fd, obuf, MAX_PAYLOAD);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) continue;
        if (n <= 0) {
          close(*fd); *fd = -1;
          if (sock_open && send_frame(s, k == 0 ? T_STDOUT : T_STDERR, "", 0) < 0) sock_open = 0;
        } else if (sock_open && send_frame(s, k == 0 ? T_STDOUT : T_STDERR, obuf,
                                           (uint32_t)n) < 0) {
          sock_open = 0;
          kill_at = stop_command(pid);
        }
      }
    }
  }
  if (in_w >= 0) close(in_w);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  put_u32(idb, (uint32_t)code);
  if (sock_open) send_frame(s, T_EXIT, idb, 4);
  _exit(0);
}

/* ---- qrexec-client-vm: a qube calls a service in another qube ---- */

/*
 * qrexec-client-vm TARGET SERVICE[+ARG]: sends CALL("TARGET\0SERVICE+ARG\0") on a new connection
 * to the agent's socket, then relays stdin as STDIN frames (an empty one at end of file) and
 * STDOUT/STDERR frames to fd 1/2, and exits with the code of the EXIT frame. ERROR frames (why a
 * call was refused) go to stderr. A connection that ends without EXIT exits 126.
 */
static int valid_name(const char *s, const char *extra, size_t max) {
  size_t n = strlen(s);
  if (n == 0 || n > max) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(extra, c))) return 0;
  }
  return 1;
}

static int client_main(int argc, char **argv) {
  static unsigned char buf[MAX_PAYLOAD];
  static char req[512];
  unsigned char h[5];
  const char *env_sock = getenv("QREXEC_AGENT_SOCKET");
  int s, in_open = 1, len;
  if (argc != 3) {
    fprintf(stderr, "usage: qrexec-client-vm TARGET SERVICE[+ARGUMENT]\n");
    return 2;
  }
  if (strcmp(argv[1], "") != 0 && !valid_name(argv[1], "_.:@-", 100)) {
    fprintf(stderr, "qrexec-client-vm: invalid target '%.100s'\n", argv[1]);
    return 2;
  }
  if (!valid_name(argv[2], "._+-", 200)) {
    fprintf(stderr, "qrexec-client-vm: invalid service '%.200s'\n", argv[2]);
    return 2;
  }
  if (env_sock && env_sock[0]) sock_path = env_sock;
  len = snprintf(req, sizeof(req), "%s%c%s", argv[1], '\0', argv[2]);
  signal(SIGPIPE, SIG_IGN);
  s = connect_once();
  if (s < 0) {
    fprintf(stderr, "qrexec-client-vm: cannot reach the zone agent at %s: %s\n", sock_path, strerror(errno));
    return EXIT_REFUSED;
  }
  if (send_frame(s, T_CALL, req, (uint32_t)len + 1) < 0) {
    fprintf(stderr, "qrexec-client-vm: the zone agent hung up\n");
    return EXIT_REFUSED;
  }
  for (;;) {
    struct pollfd p[2];
    int np = 0;
    p[np].fd = s; p[np++].events = POLLIN;
    if (in_open) { p[np].fd = 0; p[np++].events = POLLIN; }
    if (poll(p, (nfds_t)np, -1) < 0) {
      if (errno == EINTR) continue;
      return EXIT_REFUSED;
    }
    if (np > 1 && p[1].revents) {
      ssize_t n = read(0, buf, MAX_PAYLOAD);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        in_open = 0;
        if (send_frame(s, T_STDIN, "", 0) < 0) in_open = 0;
      } else if (send_frame(s, T_STDIN, buf, (uint32_t)n) < 0) {
        in_open = 0; /* the call ended; its EXIT is still to be read */
      }
    }
    if (p[0].revents) {
      uint32_t plen;
      if (read_all(s, h, 5) < 0) break;
      plen = get_u32(h + 1);
      if (plen > MAX_PAYLOAD || read_all(s, buf, plen) < 0) break;
      switch (h[0]) {
        case T_STDOUT:
          if (plen == 0) close(1);
          else if (write_all(1, buf, plen) < 0) { /* nobody reads our stdout: keep draining */ }
          break;
        case T_STDERR:
          if (plen == 0) break;
          write_all(2, buf, plen);
          break;
        case T_ERROR:
          dprintf(2, "qrexec-client-vm: %.*s\n", (int)plen, (char *)buf);
          break;
        case T_EXIT:
          if (plen != 4) return EXIT_REFUSED;
          return (int)(get_u32(buf) & 0xff);
        default:
          break;
      }
    }
  }
  fprintf(stderr, "qrexec-client-vm: the call ended without an exit code\n");
  return EXIT_REFUSED;
}

/* ---- qubes-rpc-multiplexer: runs a service in the target qube ---- */

/*
 * qubes-rpc-multiplexer SERVICE[+ARG]: the agent runs this in the target qube. It looks for
 * SERVICE+ARG, then SERVICE, in each directory in order (the qube's own first) and execs the first
 * executable found with the argument as $1 (if any); none: exit 127.
 */
static const char *rpc_dirs[] = {
  "/home/user/.local/etc/qubes-rpc", "/usr/local/etc/qubes-rpc", "/etc/qubes-rpc", "/run/qair/rpc", NULL
};

static int rpc_main(int argc, char **argv) {
  char full[200], service[200], path[512];
  char *plus, *arg = NULL;
  if (argc != 2 || !valid_name(argv[1], "._+-", 129)) {
    fprintf(stderr, "usage: qubes-rpc-multiplexer SERVICE[+ARGUMENT]\n");
    return EXIT_NO_SERVICE;
  }
  snprintf(full, sizeof(full), "%s", argv[1]);
  snprintf(service, sizeof(service), "%s", argv[1]);
  plus = strchr(service, '+');
  if (plus) {
    *plus = '\0';
    arg = full + (plus - service) + 1;
  }
  if (service[0] == '.' ) {
    fprintf(stderr, "qrexec: invalid service name\n");
    return EXIT_NO_SERVICE;
  }
  for (int pass = 0; pass < 2; pass++) {
    const char *name = pass == 0 ? full : service;
    if (pass == 0 && !plus) continue;
    for (int i = 0; rpc_dirs[i]; i++) {
      snprintf(path, sizeof(path), "%s/%s", rpc_dirs[i], name);
      if (access(path, X_OK) == 0) {
        char *args[3] = { path, arg && arg[0] ? arg : NULL, NULL };
        execv(path, args);
        fprintf(stderr, "qrexec: cannot run %s: %s\n", path, strerror(errno));
        return EXIT_NO_SERVICE;
      }
    }
  }
  fprintf(stderr, "qrexec: no service %s in this qube\n", service);
  return EXIT_NO_SERVICE;
}

/* ---- the daemon ---- */

static void on_term(int sig) {
  (void)sig;
  terminating = 1;
}

/* SIGTERM: pass it to every other process of the qube, give them a moment, then exit. */
static void terminate(void) {
  long deadline = now_ms() + 5000;
  kill(-1, SIGTERM);
  while (kill(-1, 0) == 0 && now_ms() < deadline) sleep_ms(5);
  _exit(0);
}

int main(int argc, char **argv) {
  static unsigned char payload[MAX_PAYLOAD + 1];
  struct sigaction sa;
  const char *hello = "qair-guest 1";
  int opt, first = 1;
  const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

  if (strcmp(self, "qrexec-client-vm") == 0) return client_main(argc, argv);
  if (strcmp(self, "qubes-rpc-multiplexer") == 0) return rpc_main(argc, argv);
  while ((opt = getopt(argc, argv, "s:r:")) != -1) {
    if (opt == 's') sock_path = optarg;
    else if (opt == 'r') reconnect_seconds = atoi(optarg);
    else {
      fprintf(stderr, "usage: qair-guest [-s SOCKET] [-r RECONNECT_SECONDS]\n");
      return 2;
    }
  }
  /* Nothing the sandbox set-up left open may reach a command. */
  syscall(SYS_close_range, 3U, ~0U, 0U);
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_term; /* no SA_RESTART: blocking calls return EINTR */
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGCHLD, SIG_IGN); /* handlers are reaped by the kernel */

  for (;;) {
    long deadline = now_ms() + (first ? 30000L : reconnect_seconds * 1000L);
    int c = connect_retry(deadline);
    if (terminating) terminate();
    if (c < 0) {
      fprintf(stderr, "qair-guest: cannot reach the agent at %s\n", sock_path);
      return 1;
    }
    first = 0;
    if (send_frame(c, T_HELLO, hello, (uint32_t)strlen(hello)) < 0) {
      close(c);
      continue;
    }
    for (;;) {
      unsigned char h[5];
      uint32_t len;
      if (read_all(c, h, 5) < 0) break;
      len = get_u32(h + 1);
      if (len > MAX_PAYLOAD || read_all(c, payload, len) < 0) break;
      if (h[0] == T_EXEC || h[0] == T_EXEC_ROOT) {
        struct exec_req *r = calloc(1, sizeof(*r));
        pid_t pid;
        if (!r) break;
        if (parse_exec(payload, len, r) < 0) {
          free(r);
          continue; /* malformed request: the agent times the exec out */
        }
        r->root = h[0] == T_EXEC_ROOT;
        pid = fork();
        if (pid == 0) {
          close(c);
          handle_exec(r);
        }
        free(r);
      }
      /* other frame types are ignored: newer agents may send more */
    }
    close(c);
    if (terminating) terminate();
  }
}
