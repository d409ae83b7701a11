// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: modules.order as depmod reads it (depmod/module_order.h),
// over a fixed set of found modules, some compressed, one outside the
// module directory.
//
// Invariants: the result is a permutation of the modules; when the text
// ends in a newline, every module it names comes before every module it
// does not name.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "depmod/module_order.h"
#include "fuzz/fuzz_util.h"

namespace {
const std::vector<mng::FoundModule>& modules() {
  static const std::vector<mng::FoundModule> mods = [] {
    const std::string dir = "/lib/modules/1";
    std::vector<mng::FoundModule> v;
    for (const char* rel : {"kernel/a.ko", "kernel/fs/b.ko.xz", "kernel/net/c-d.ko.zst", "extra/e.ko.gz",
                            "kernel/f.ko", "updates/a2.ko"})
      v.push_back(mng::describe_module_file(dir + "/" + rel, dir, ""));
    v.push_back(mng::describe_module_file("/opt/ext/g.ko", dir, ""));
    return v;
  }();
  return mods;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& mods = modules();
  std::vector<uint32_t> order = mng::order_by_modules_order(mods, text, "modules.order");
  FUZZ_CHECK(order.size() == mods.size());
  std::set<uint32_t> seen(order.begin(), order.end());
  FUZZ_CHECK(seen.size() == mods.size() && *seen.rbegin() == mods.size() - 1);
  if (text.empty() || text.back() != '\n') return 0;
  std::set<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    lines.insert(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  bool unlisted_seen = false;
  for (uint32_t i : order) {
    const auto& m = mods[i];
    bool listed = !m.relpath.empty() && lines.count(mng::uncompressed_relpath(m.relpath));
    FUZZ_CHECK(!(listed && unlisted_seen));
    unlisted_seen |= !listed;
  }
  return 0;
}
