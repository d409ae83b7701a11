// SPDX-License-Identifier: GPL-2.0-or-later
// LD_PRELOAD library for tests/check-reliability.sh: the first fstat() of
// the file MNG_TRUNCATE_AFTER_FSTAT names cuts that file to half its size
// once the status is taken, as another process truncating it in place
// (`cp` over a module) between the tool's stat and its read would.  Both
// names are taken: with _FILE_OFFSET_BITS=64 the tools call fstat64.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int done;

static void maybe_truncate(int fd, off_t size) {
  const char* target = getenv("MNG_TRUNCATE_AFTER_FSTAT");
  char link[64], path[4096];
  if (done || !target || size <= 0) return;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return;
  path[n] = '\0';
  if (strcmp(path, target) != 0) return;
  done = 1;
  if (truncate(target, size / 2) != 0) perror("truncate_preload");
}

int fstat(int fd, struct stat* st) {
  static int (*real)(int, struct stat*);
  if (!real) real = (int (*)(int, struct stat*))dlsym(RTLD_NEXT, "fstat");
  int r = real(fd, st);
  if (r == 0 && S_ISREG(st->st_mode)) maybe_truncate(fd, st->st_size);
  return r;
}

int fstat64(int fd, struct stat64* st) {
  static int (*real)(int, struct stat64*);
  if (!real) real = (int (*)(int, struct stat64*))dlsym(RTLD_NEXT, "fstat64");
  int r = real(fd, st);
  if (r == 0 && S_ISREG(st->st_mode)) maybe_truncate(fd, st->st_size);
  return r;
}
