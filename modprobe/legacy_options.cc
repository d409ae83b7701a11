// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/legacy_options.h"

#include <algorithm>

#include "modprobe/modprobe.h"

namespace mng {

void MergedOptions::add_group(const std::vector<std::string>& group, bool stop_at_plain) {
  for (size_t i = 0; i < group.size(); ++i) {
    const std::string& w = group[i];
    if (w == "-o" || (w.size() > 2 && w.starts_with("-o"))) {
      std::string name = w.size() > 2 ? w.substr(2) : (i + 1 < group.size() ? group[++i] : std::string());
      auto it = std::find(words.begin(), words.end(), "-o");
      if (it != words.end() && it + 1 != words.end()) *(it + 1) = name;
      else {
        words.push_back("-o");
        words.push_back(name);
      }
      continue;
    }
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) {
      if (stop_at_plain) return;
      if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
      continue;
    }
    std::string key = w.substr(0, eq + 1);
    bool replaced = false;
    for (size_t j = 0; j < words.size(); ++j) {
      if (words[j] == "-o") {
        ++j;
        continue;
      }
      if (words[j].starts_with(key)) {
        words[j] = w;
        replaced = true;
        break;
      }
    }
    if (!replaced) words.push_back(w);
  }
}

std::string MergedOptions::object_name() const {
  for (size_t j = 0; j + 1 < words.size(); ++j)
    if (words[j] == "-o") return words[j + 1];
  return "";
}

std::string MergedOptions::kernel_params() const {
  std::vector<std::string> args = {""};
  for (size_t j = 0; j < words.size(); ++j) {
    if (words[j] == "-o") {
      ++j;
      continue;
    }
    args.push_back(words[j]);
  }
  return options_from_args(args, 1);
}

}  // namespace mng
