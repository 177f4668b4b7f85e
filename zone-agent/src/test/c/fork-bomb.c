/* Test helper run inside a qube: forks up to N sleeping children, prints how many it got, waits. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2000, ok = 0, failed = 0;
  for (int i = 0; i < n; i++) {
    pid_t p = fork();
    if (p == 0) {
      pause();
      _exit(0);
    }
    if (p < 0) failed++; else ok++;
  }
  printf("spawned %d failed %d\n", ok, failed);
  fflush(stdout);
  pause();
  return 0;
}
