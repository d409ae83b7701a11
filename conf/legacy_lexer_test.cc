// SPDX-License-Identifier: GPL-2.0-or-later
// Line joining of the legacy language (doc/compat.md, modutils: line joining).
#include <catch2/catch.hpp>

#include "conf/legacy_lexer.h"

using mng::legacy_logical_lines;

namespace {
struct LexCase {
  const char* name;
  std::string input;
  std::vector<std::pair<std::string, unsigned>> expected;  // text, last physical line
};
}  // namespace

TEST_CASE("legacy lexer: joining + comments + line numbers", "[conf]") {
  const LexCase cases[] = {
      {"no whitespace on the next line joins with nothing", "a=1\\\nb=2\n", {{"a=1b=2", 2}}},
      {"leading whitespace becomes one space", "alias eth0 \\\n      ne   # NE2000\n", {{"alias eth0  ne", 2}}},
      {"a single tab becomes one space", "x\\\n\ty\n", {{"x y", 2}}},
      {"double backslash loses one and ends the line", "options x a\\\\\nalias b c\n",
       {{"options x a\\", 1}, {"alias b c", 2}}},
      {"a lone backslash line continues", "a\\\n\\\nb\n", {{"ab", 3}}},
      {"comment before continuation", "alias a \\ # note\n b\n", {{"alias a  b", 2}}},
      {"a '#' anywhere starts a comment, even in quotes", "options x \"a#b\" c\n", {{"options x \"a", 1}}},
      {"comment hides the backslash", "alias a b # \\\nalias c d\n", {{"alias a b", 1}, {"alias c d", 2}}},
      {"trailing whitespace and CR stripped", "alias a b  \r\n", {{"alias a b", 1}}},
      {"empty lines are kept (and skipped later)", "\n\nalias a b\n", {{"", 1}, {"", 2}, {"alias a b", 3}}},
      {"continuation at end of file", "alias a \\", {{"alias a ", 1}}},
      {"last line without newline", "keep", {{"keep", 1}}},
      {"a NUL ends the physical line", std::string("alias a b\0junk\nkeep\n", 20), {{"alias a b", 1}, {"keep", 2}}},
      {"continuation of a whitespace-only line", "a\\\n   \nb\n", {{"a", 2}, {"b", 3}}},
      {"three physical lines report the last", "a \\\n b \\\n c\nd\n", {{"a  b  c", 3}, {"d", 4}}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto lines = legacy_logical_lines(c.input);
    REQUIRE(lines.size() == c.expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      CHECK(lines[i].text == c.expected[i].first);
      CHECK(lines[i].line == c.expected[i].second);
    }
  }
}
