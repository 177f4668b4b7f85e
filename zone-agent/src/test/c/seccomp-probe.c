/* Test helper run inside a qube: tries system calls the sandbox must deny and prints "NAME ERRNO". */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *name, long r) {
  printf("%s %d\n", name, r < 0 ? errno : 0);
}

int main(void) {
  errno = 0; report("keyctl", syscall(SYS_keyctl, 0, -3, 0));
  errno = 0; report("add_key", syscall(SYS_add_key, "user", "k", "v", 1, -3));
  errno = 0; report("request_key", syscall(SYS_request_key, "user", "k", NULL, -3));
  errno = 0; report("bpf", syscall(SYS_bpf, 0, NULL, 0));
  errno = 0; report("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
  errno = 0; report("userfaultfd", syscall(SYS_userfaultfd, 0));
  errno = 0; report("unshare_user", unshare(CLONE_NEWUSER));
  errno = 0; {
    long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) _exit(0);
    if (r > 0) waitpid((pid_t)r, NULL, 0);
    report("clone_user", r);
  }
  errno = 0; report("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
  errno = 0; report("ptrace", ptrace(PTRACE_TRACEME, 0, NULL, NULL));
  errno = 0; report("getpid", syscall(SYS_getpid) > 0 ? 0 : -1);
  errno = 0; {
    pid_t p = fork();
    if (p == 0) _exit(0);
    if (p > 0) waitpid(p, NULL, 0);
    report("fork", p);
  }
  return 0;
}
