// SPDX-License-Identifier: GPL-2.0-or-later
// Shared bits of the libFuzzer harnesses: silencing the logger (messages
// about bad input are expected by the thousand and would only slow the
// run down) and an invariant check that turns a broken promise of the
// code under test into a crash libFuzzer records.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "common/log.h"

namespace mng::fuzz {

inline void quiet_logs() {
  static bool done = false;
  if (done) return;
  done = true;
  set_log_sink([](Level, std::string_view, void*) {}, nullptr);
}

[[noreturn]] inline void broken(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
  std::abort();
}

}  // namespace mng::fuzz

#define FUZZ_CHECK(cond) \
  do {                   \
    if (!(cond)) ::mng::fuzz::broken(#cond, __FILE__, __LINE__); \
  } while (0)
