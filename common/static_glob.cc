// SPDX-License-Identifier: GPL-2.0-or-later
// glob(3) without the user database, for the static build.  glibc's glob
// looks up home directories for "~" and "~user" (GLOB_TILDE), so a static
// link pulls in the whole name service switch and DNS resolver behind
// getpwnam_r (some 90 KiB) although we never pass GLOB_TILDE.  These two
// definitions of the internal names glob calls answer "no such user", so
// the static link leaves the real ones out.  Only the static link names
// this object, ahead of libc, and glob is the only caller of these names
// in our programs; no other link refers to it.
#include <pwd.h>

#include <cerrno>
#include <cstddef>

extern "C" {

int __getpwnam_r(const char*, struct passwd*, char*, std::size_t, struct passwd** result) {
  *result = nullptr;
  return 0;
}

int __getlogin_r(char*, std::size_t) {
  return ENOENT;
}

}  // extern "C"
