// SPDX-License-Identifier: GPL-2.0-or-later
// Splitting text the way the tools' file formats need it: into lines and
// into words.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mng {

// Calls fn(line) for every line of TEXT, without its '\n', as getline
// reads them: the last line may lack its '\n', and a text ending in '\n'
// has no empty line after it.
template <class Fn>
void for_each_line(std::string_view text, Fn fn) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    fn(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
}

// The words of TEXT: the runs of bytes that are not in SEPARATORS (as
// strtok splits; a NUL byte is part of a word unless SEPARATORS holds it).
// No empty words.
std::vector<std::string_view> strtok_split(std::string_view text, std::string_view separators = " \t");

// strtok_split as owned strings.
std::vector<std::string> strtok_split_strings(std::string_view text, std::string_view separators = " \t");

}  // namespace mng
