// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/kernel_symbols.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "common/file_util.h"
#include "common/log.h"
#include "common/text_util.h"

namespace mng {
namespace {

// Calls TAKE(line, first, second) for each line of FILE that has at least
// two SEP characters (their positions); reports the other lines.
template <class Take>
bool for_each_symbol_line(const std::string& file, char sep, Take take) {
  std::string text;
  if (!read_file(file, kMaxInputText, &text)) {
    log(Level::fatal, "could not load %s: %s", file.c_str(), read_error_text(errno));
    return false;
  }
  unsigned lineno = 0;
  for_each_line(text, [&](std::string_view line) {
    ++lineno;
    size_t a = line.find(sep);
    size_t b = a == std::string_view::npos ? a : line.find(sep, a + 1);
    if (b == std::string_view::npos) {
      log(Level::error, "%s:%u: invalid line: %s", file.c_str(), lineno, std::string(line).c_str());
      return;
    }
    take(line, a, b);
  });
  return true;
}

}  // namespace

std::string_view without_prefix(std::string_view name, char prefix) {
  if (prefix && !name.empty() && name[0] == prefix) name.remove_prefix(1);
  return name;
}

bool load_system_map(const std::string& file, char prefix, std::deque<KernelSymbol>* out) {
  return for_each_symbol_line(file, ' ', [&](std::string_view line, size_t, size_t b) {
    std::string_view name = without_prefix(line.substr(b + 1), prefix);
    if (name.starts_with("__ksymtab_")) out->push_back({std::string(name.substr(10)), 0});
  });
}

bool load_symvers(const std::string& file, char prefix, std::deque<KernelSymbol>* out) {
  return for_each_symbol_line(file, '\t', [&](std::string_view line, size_t a, size_t b) {
    size_t c = line.find('\t', b + 1);
    std::string_view where = line.substr(b + 1, c == std::string_view::npos ? c : c - b - 1);
    if (where != "vmlinux") return;
    std::string_view name = without_prefix(line.substr(a + 1, b - a - 1), prefix);
    out->push_back({std::string(name), strtoull(std::string(line.substr(0, a)).c_str(), nullptr, 16)});
  });
}

}  // namespace mng
