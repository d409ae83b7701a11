// SPDX-License-Identifier: GPL-2.0-or-later
// std::terminate's message for the static build.  libstdc++'s own handler
// demangles the type of the uncaught exception, and so links its whole
// demangler (some 50 KiB) into a static binary; this one prints the same
// lines with the type's mangled name instead.  Only the static link names
// this object, ahead of libstdc++, so that it replaces libstdc++'s
// definition there; no other link refers to it.
#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <typeinfo>

namespace __gnu_cxx {

void __verbose_terminate_handler() {
  static bool terminating = false;
  if (terminating) {
    std::fputs("terminate called recursively\n", stderr);
    std::abort();
  }
  terminating = true;
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (type == nullptr) {
    std::fputs("terminate called without an active exception\n", stderr);
    std::abort();
  }
  std::fprintf(stderr, "terminate called after throwing an instance of '%s'\n", type->name());
  try {
    throw;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "  what():  %s\n", e.what());
  } catch (...) {
  }
  std::abort();
}

}  // namespace __gnu_cxx
