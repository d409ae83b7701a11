// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/modname.h"

#include "common/file_util.h"

namespace mng {

std::string normalize_modname(std::string_view name) {
  std::string s(name);
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

bool has_module_suffix(std::string_view name) {
  for (auto suf : kModuleSuffixes)
    if (name.ends_with(suf)) return true;
  return false;
}

std::string modname_from_path(std::string_view path) {
  std::string_view base = base_name(path);
  return normalize_modname(base.substr(0, base.find('.')));
}

std::optional<std::string> normalize_alias(std::string_view alias) {
  std::string s(alias);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-') {
      s[i] = '_';
    } else if (s[i] == ']') {
      return std::nullopt;
    } else if (s[i] == '[') {
      size_t close = s.find(']', i + 1);
      if (close == std::string::npos) return std::nullopt;
      i = close;  // the class stays as written
    }
  }
  return s;
}

}  // namespace mng
