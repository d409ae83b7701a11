// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the journal an interrupted depmod run leaves in its output
// directory (depmod/output_set.h parse_journal), which the next run
// follows to finish the renames.
//
// Invariants: every rename it asks for stays inside the directory (no '/'
// in either name, no NUL), takes one of depmod's temporary names, and
// comes from one complete line.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "depmod/output_set.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entries = mng::parse_journal(text);
  FUZZ_CHECK(entries.size() <= static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
  for (const auto& e : entries) {
    FUZZ_CHECK(mng::is_output_temp_name(e.temp));
    FUZZ_CHECK(!e.final_name.empty());
    for (const auto& s : {e.temp, e.final_name}) FUZZ_CHECK(s.find('/') == s.npos && s.find('\0') == s.npos);
    FUZZ_CHECK(text.find(e.temp + " " + e.final_name + "\n") != text.npos);
  }
  return 0;
}
