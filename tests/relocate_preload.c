// SPDX-License-Identifier: GPL-2.0-or-later
/* A preload library that moves absolute paths under MNG_RELOCATE_ROOT, the
 * way test harnesses and chroot-style wrappers relocate a program: only the
 * calls that take a path by themselves are caught (open, fopen, opendir,
 * stat, mkdir, access), never the *at() calls, whose relative names follow
 * the directory descriptor they are given.  A program that opens its
 * directories by path and then works relative to them runs entirely inside
 * the relocated tree; one that renames or unlinks by absolute path escapes
 * it.  Used by tests/check-depmod-at.sh. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Returns PATH moved under the root (in BUF), or PATH itself when it is
 * relative or already inside; NULL with errno set when too long. */
static const char *relocate(const char *path, char *buf, size_t size) {
  const char *root = getenv("MNG_RELOCATE_ROOT");
  if (!root || !*root || !path || path[0] != '/') return path;
  size_t rlen = strlen(root);
  if (strncmp(path, root, rlen) == 0 && (path[rlen] == '/' || path[rlen] == '\0')) return path;
  if ((size_t)snprintf(buf, size, "%s%s", root, path) >= size) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  return buf;
}

static void *next(const char *name) { return dlsym(RTLD_NEXT, name); }

#define RELOCATED(p)                 \
  char buf_[PATH_MAX * 2];           \
  const char *p = relocate(path, buf_, sizeof buf_)

static int open_common(const char *fn, const char *path, int flags, va_list ap) {
  int (*real)(const char *, int, ...) = next(fn);
  mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
  RELOCATED(p);
  if (!p) return -1;
  return real(p, flags, mode);
}

/* open and open64 differ only in the name they pass on. */
#define OPEN_WRAPPER(name)                             \
  int name(const char *path, int flags, ...) {         \
    va_list ap;                                        \
    va_start(ap, flags);                               \
    int r = open_common(#name, path, flags, ap);       \
    va_end(ap);                                        \
    return r;                                          \
  }
OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

#define WRAP(ret, fail, name, type2)                    \
  ret name(const char *path, type2 arg) {               \
    ret (*real)(const char *, type2) = next(#name);     \
    RELOCATED(p);                                       \
    if (!p) return fail;                                \
    return real(p, arg);                                \
  }

WRAP(FILE *, NULL, fopen, const char *)
WRAP(FILE *, NULL, fopen64, const char *)
WRAP(int, -1, stat, struct stat *)
WRAP(int, -1, stat64, struct stat64 *)
WRAP(int, -1, lstat, struct stat *)
WRAP(int, -1, lstat64, struct stat64 *)
WRAP(int, -1, mkdir, mode_t)
WRAP(int, -1, access, int)

DIR *opendir(const char *path) {
  DIR *(*real)(const char *) = next("opendir");
  RELOCATED(p);
  if (!p) return NULL;
  return real(p);
}
