// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/text_util.h"

#include <catch2/catch.hpp>

using namespace mng;

namespace {
std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  for_each_line(text, [&](std::string_view l) { out.emplace_back(l); });
  return out;
}
}  // namespace

TEST_CASE("for_each_line reads lines as getline does", "[text_util]") {
  CHECK(lines_of("a\nb\n") == std::vector<std::string>{"a", "b"});
  CHECK(lines_of("a\n\nb") == std::vector<std::string>{"a", "", "b"});
  CHECK(lines_of("\n") == std::vector<std::string>{""});
  CHECK(lines_of("").empty());
  CHECK(lines_of("x\r\n") == std::vector<std::string>{"x\r"});  // only '\n' ends a line
}

TEST_CASE("strtok_split splits on the separators given", "[text_util]") {
  using V = std::vector<std::string_view>;
  CHECK(strtok_split("  a\tb  c ") == V{"a", "b", "c"});
  CHECK(strtok_split("a\nb c") == V{"a\nb", "c"});  // default: blank and tab only
  CHECK(strtok_split("a\nb c", " \t\n") == V{"a", "b", "c"});
  CHECK(strtok_split("x y", " ") == V{"x", "y"});
  CHECK(strtok_split(std::string_view("a\0b c", 5), " ") == V{std::string_view("a\0b", 3), "c"});
  CHECK(strtok_split("").empty());
  CHECK(strtok_split(" \t ").empty());
  CHECK(strtok_split_strings("p q") == std::vector<std::string>{"p", "q"});
}
