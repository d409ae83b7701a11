// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/module_order.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "common/file_util.h"
#include "common/log.h"
#include "common/superfast_hash.h"
#include "common/text_util.h"
#include "depmod/kernel_symbols.h"

namespace mng {
namespace {

std::vector<uint32_t> by_name(const std::vector<FoundModule>& mods) {
  std::vector<uint32_t> order(mods.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // The iteration order of kmod's 512-bucket table: bucket, then name
  // (compared bytewise like strcmp); each name hashed once.
  std::vector<uint32_t> bucket(mods.size());
  for (uint32_t i = 0; i < bucket.size(); ++i) bucket[i] = kmod_bucket(mods[i].modname, 512);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return bucket[a] != bucket[b] ? bucket[a] < bucket[b] : mods[a].modname < mods[b].modname;
  });
  return order;
}

}  // namespace

std::vector<uint32_t> order_by_modules_order(const std::vector<FoundModule>& mods, std::string_view text,
                                             const std::string& file) {
  std::vector<uint32_t> order = by_name(mods);
  if (!text.empty() && text.back() != '\n') {
    unsigned lines = static_cast<unsigned>(std::count(text.begin(), text.end(), '\n')) + 1;
    log(Level::error, "%s:%u corrupted line misses '\\n'", file.c_str(), lines);
    return order;
  }
  std::unordered_map<std::string, uint32_t> by_relpath;
  by_relpath.reserve(mods.size() * 2);
  for (uint32_t i = 0; i < mods.size(); ++i)
    if (!mods[i].relpath.empty()) by_relpath.emplace(uncompressed_relpath(mods[i].relpath), i);
  // Position in modules.order; modules not listed sort after all listed ones.
  std::vector<int64_t> key(mods.size(), 0);
  int64_t lineno = 0, total = std::count(text.begin(), text.end(), '\n') + 1;
  for_each_line(text, [&](std::string_view line) {
    ++lineno;
    auto it = by_relpath.find(std::string(line));
    if (it != by_relpath.end()) key[it->second] = lineno - total;
  });
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key[a] < key[b]; });
  return order;
}

std::vector<uint32_t> module_order(const std::vector<FoundModule>& mods, const std::string& dir) {
  std::string file = dir + "/modules.order";
  std::string text;
  if (!read_in_dir(dir, "modules.order", kMaxInputText, &text)) {
    log(Level::warning, "could not open modules.order at %s: %s", dir.c_str(), read_error_text(errno));
    return by_name(mods);
  }
  return order_by_modules_order(mods, text, file);
}

}  // namespace mng
