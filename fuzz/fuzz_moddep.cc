// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the modules.dep text reader (common/moddep.h) in all its
// layouts, then every query modprobe makes of it.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/moddep.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // The input's length picks the source: with or without an image root.
  mng::DepSource src{"/lib/modules/6.1.0-56-amd64", (size & 1) ? "/mnt/root" : ""};
  mng::ModDep dep;
  dep.parse_text(text, "modules.dep", src);

  std::vector<mng::DepEntry> all;
  std::string err;
  FUZZ_CHECK(dep.all(&all, &err));
  size_t queried = 0;
  for (const auto& e : all) {
    FUZZ_CHECK(!e.path.empty());
    mng::DepEntry found;
    // Every listed entry can be found again by its name.
    FUZZ_CHECK(dep.lookup(e.name, &found, &err));
    FUZZ_CHECK(!dep.lookup_all(e.name).empty());
    // load_order is the expensive query; a bounded number per input.
    if (queried++ < 64) {
      // Each file once, never the module itself (cycles are cut).
      auto order = dep.load_order(e);
      std::set<std::string> seen{e.path};
      for (const auto& o : order) FUZZ_CHECK(seen.insert(o.path).second);
    }
  }
  for (const auto& p : dep.problems()) FUZZ_CHECK(p.find("modules.dep:") == 0);

  // The line splitter on its own.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view lhs;
    std::vector<std::string_view> deps;
    if (mng::split_dep_line(line, &lhs, &deps)) FUZZ_CHECK(!lhs.empty());
  }
  return 0;
}
