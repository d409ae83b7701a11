// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/text_util.h"

namespace mng {

std::vector<std::string_view> strtok_split(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    i = text.find_first_not_of(separators, i);
    if (i == std::string_view::npos) break;
    size_t j = text.find_first_of(separators, i);
    if (j == std::string_view::npos) j = text.size();
    out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string> strtok_split_strings(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> words = strtok_split(text, separators);
  return std::vector<std::string>(words.begin(), words.end());
}

}  // namespace mng
