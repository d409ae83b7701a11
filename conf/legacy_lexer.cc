// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/legacy_lexer.h"

namespace mng {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

void strip_end(std::string* s) {
  while (!s->empty() && is_space(s->back())) s->pop_back();
}

// One physical line as modutils sees it: cut at NUL, stripped, comment-free.
std::string clean_physical(std::string_view raw) {
  size_t nul = raw.find('\0');
  std::string s(raw.substr(0, nul));
  strip_end(&s);
  size_t hash = s.find('#');
  if (hash != std::string::npos) {
    s.erase(hash);
    strip_end(&s);
  }
  return s;
}

}  // namespace

std::vector<LogicalLine> legacy_logical_lines(std::string_view content) {
  std::vector<LogicalLine> out;
  size_t pos = 0;
  unsigned lineno = 0;
  while (pos < content.size()) {
    LogicalLine logical;
    bool continuing = false;
    while (pos < content.size()) {
      size_t nl = content.find('\n', pos);
      std::string_view raw = content.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? content.size() : nl + 1;
      ++lineno;
      std::string piece = clean_physical(raw);
      if (continuing) {
        // Leading whitespace of a continuation line collapses to one space.
        size_t lead = 0;
        while (lead < piece.size() && is_space(piece[lead])) ++lead;
        if (lead > 0) piece.replace(0, lead, " ");
      }
      bool ends_in_backslash = !piece.empty() && piece.back() == '\\';
      bool doubled = ends_in_backslash && piece.size() >= 2 && piece[piece.size() - 2] == '\\';
      if (ends_in_backslash) piece.pop_back();  // continuation mark, or one of "\\"
      logical.text += piece;
      logical.line = lineno;
      if (!ends_in_backslash || doubled) break;
      continuing = true;
    }
    out.push_back(std::move(logical));
  }
  return out;
}

}  // namespace mng
