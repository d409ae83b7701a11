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

TEST_CASE("split_words splits on the separators given", "[text_util]") {
  using V = std::vector<std::string_view>;
  CHECK(split_words("  a\tb  c ") == V{"a", "b", "c"});
  CHECK(split_words("a\nb c") == V{"a\nb", "c"});  // default: blank and tab only
  CHECK(split_words("a\nb c", " \t\n") == V{"a", "b", "c"});
  CHECK(split_words("x y", " ") == V{"x", "y"});
  CHECK(split_words(std::string_view("a\0b c", 5), " ") == V{std::string_view("a\0b", 3), "c"});
  CHECK(split_words("").empty());
  CHECK(split_words(" \t ").empty());
  CHECK(split_word_strings("p q") == std::vector<std::string>{"p", "q"});
}
