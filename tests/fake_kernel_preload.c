// SPDX-License-Identifier: GPL-2.0-or-later
/* A preload library answering a tool's module loads itself, the way kmod's
 * testsuite fakes the kernel: finit_module (made through syscall()) and
 * init_module never reach the kernel.  A load marks the module live in
 * /sys/module, which must be a private tmpfs (the caller mounts one in its
 * own mount namespace; anything else is refused with EPERM), and appends
 * "NAME PARAMS" to the file $MNG_FAKE_LOG; a module already there answers
 * EEXIST, as the kernel does.  With MNG_FAKE_NO_FINIT=1 finit_module
 * answers ENOSYS (a kernel without it).  The name is that of the file
 * (finit_module) or the image's .modinfo "name=" (init_module), dashes as
 * underscores.  Used by tests/kmod-modprobe-cases.sh. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#define TMPFS_MAGIC 0x01021994

/* With MNG_FAKE_PROBE=FILE, writes FILE when a program starts with the
 * library in place: the caller checks that before any load, so that a
 * tool the library cannot reach (a static binary) never runs a load. */
__attribute__((constructor)) static void announce(void) {
  const char *probe = getenv("MNG_FAKE_PROBE");
  FILE *f = probe ? fopen(probe, "w") : NULL;
  if (f) fputs("fake kernel in place\n", f), fclose(f);
}

/* NAME normalized in place: up to the first '.', '-' as '_'. */
static void normalize(char *name) {
  char *dot = strchr(name, '.');
  if (dot) *dot = '\0';
  for (char *c = name; *c; c++)
    if (*c == '-') *c = '_';
}

/* The fake kernel's load of NAME with PARAMS: 0, or -1 with errno. */
static long fake_load(char *name, const char *params) {
  struct statfs fs;
  char path[PATH_MAX];
  normalize(name);
  if (statfs("/sys/module", &fs) != 0 || fs.f_type != TMPFS_MAGIC || !*name) {
    errno = EPERM;
    return -1;
  }
  snprintf(path, sizeof path, "/sys/module/%s", name);
  if (mkdir(path, 0755) != 0) {
    if (errno == EEXIST) return -1;
    errno = EPERM;
    return -1;
  }
  const char *files[][2] = {{"initstate", "live\n"}, {"refcnt", "0\n"}};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(path, sizeof path, "/sys/module/%s/%s", name, files[i][0]);
    FILE *f = fopen(path, "w");
    if (f) fputs(files[i][1], f), fclose(f);
  }
  snprintf(path, sizeof path, "/sys/module/%s/holders", name);
  mkdir(path, 0755);
  const char *log = getenv("MNG_FAKE_LOG");
  FILE *f = log ? fopen(log, "a") : NULL;
  if (f) fprintf(f, "%s %s\n", name, params ? params : ""), fclose(f);
  return 0;
}

static long fake_finit(int fd, const char *params) {
  char link[64], target[PATH_MAX];
  if (getenv("MNG_FAKE_NO_FINIT") && strcmp(getenv("MNG_FAKE_NO_FINIT"), "1") == 0) {
    errno = ENOSYS;
    return -1;
  }
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n < 0) {
    errno = EBADF;
    return -1;
  }
  target[n] = '\0';
  char *base = strrchr(target, '/');
  return fake_load(base ? base + 1 : target, params);
}

long syscall(long number, ...) {
  va_list ap;
  long a[6];
  va_start(ap, number);
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_finit_module) return fake_finit((int)a[0], (const char *)a[1]);
  if (number == SYS_init_module || number == SYS_delete_module) {
    errno = EPERM;  // only the wrappers below load; nothing else may
    return -1;
  }
  long (*real)(long, ...) = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
  return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int init_module(void *image, unsigned long len, const char *params) {
  static const char key[] = "name=";
  char name[NAME_MAX + 1] = "";
  const char *p = image, *end = p + len;
  // .modinfo's "name=" entry follows a NUL.
  while ((p = memmem(p, (size_t)(end - p), key, sizeof key - 1))) {
    if (p > (const char *)image && p[-1] == '\0') {
      const char *v = p + sizeof key - 1;
      size_t n = strnlen(v, (size_t)(end - v));
      if (n > NAME_MAX) n = NAME_MAX;
      memcpy(name, v, n);
      name[n] = '\0';
      break;
    }
    p += sizeof key - 1;
  }
  return (int)fake_load(name, params);
}

int delete_module(const char *name, unsigned int flags) {
  (void)name, (void)flags;
  errno = EPERM;
  return -1;
}
