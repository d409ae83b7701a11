// SPDX-License-Identifier: GPL-2.0-or-later
// MNG_DEPMOD_STATS=1: depmod prints how long each stage took, with the
// resident and peak memory after it (for make bench and the checks that
// look at what a run did).
#pragma once
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "common/file_util.h"

namespace mng {

inline long status_kib(const char* field) {
  std::string text;
  if (!read_file("/proc/self/status", 1 << 16, &text)) return 0;
  size_t at = text.find(field);
  return at == std::string::npos ? 0 : strtol(text.c_str() + at + strlen(field), nullptr, 10);
}

// MNG_DEPMOD_STATS=1 prints how long each stage took, for make bench.
struct StageClock {
  bool on = env_value("MNG_DEPMOD_STATS").has_value();
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  std::string text;
  void mark(const char* stage) {
    if (!on) return;
    auto now = std::chrono::steady_clock::now();
    add(stage, std::chrono::duration<double, std::milli>(now - last).count());
    last = now;
  }
  // A part timed on its own (an output file, made on one of two lanes).
  void add(const char* stage, double ms) {
    if (!on) return;
    char buf[96];
    snprintf(buf, sizeof buf, " %s=%.1fms/%ld/%ldKiB", stage, ms, status_kib("VmRSS:"), status_kib("VmHWM:"));
    text += buf;
  }
  ~StageClock() {
    if (on) fprintf(stderr, "depmod: stats:%s\n", text.c_str());
  }
};

}  // namespace mng
