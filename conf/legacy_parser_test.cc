// SPDX-License-Identifier: GPL-2.0-or-later
// Line grammar of the legacy language (doc/compat.md: modutils: words and keywords; modutils: keywords).
#include <catch2/catch.hpp>

#include "conf/config_model.h"
#include "conf/legacy_parser.h"

using namespace mng;

TEST_CASE("legacy parser: keyword + add prefix + assignment", "[conf]") {
  auto l = parse_legacy_line("  add options ne irq=5");
  REQUIRE(l);
  CHECK(l->adding);
  CHECK_FALSE(l->assignment);
  CHECK(l->keyword == "options");
  CHECK(l->arg == "ne irq=5");
  CHECK(l->head == "  add options");

  l = parse_legacy_line("addalias x y");  // any keyword starting with "add"
  REQUIRE(l);
  CHECK(l->adding);
  CHECK(l->keyword == "alias");

  l = parse_legacy_line("depfile=  /x/modules.dep");
  REQUIRE(l);
  CHECK(l->assignment);
  CHECK(l->keyword == "depfile");
  CHECK(l->arg == "/x/modules.dep");
  CHECK(l->head == "depfile");

  l = parse_legacy_line("depfile = /x");  // space before '=': not an assignment
  REQUIRE(l);
  CHECK_FALSE(l->assignment);
  CHECK(l->keyword == "depfile");
  CHECK(l->arg == "= /x");

  CHECK_FALSE(parse_legacy_line(""));
  CHECK_FALSE(parse_legacy_line("   "));
  CHECK_FALSE(parse_legacy_line("add"));

  l = parse_legacy_line("keep");
  REQUIRE(l);
  CHECK(l->keyword == "keep");
  CHECK(l->arg.empty());
}

TEST_CASE("legacy parser: keyword classification", "[conf]") {
  auto kw = [](const char* text) {
    auto l = parse_legacy_line(text);
    int gen = -1;
    return classify_legacy_keyword(*l, &gen);
  };
  CHECK(kw("path[net]=/x") == LegacyKeyword::path);
  CHECK(kw("pathfoo=/x") == LegacyKeyword::path);
  CHECK(kw("path /x") == LegacyKeyword::unknown);  // needs '='
  CHECK(kw("keep=1") == LegacyKeyword::unknown);   // must not have '='
  CHECK(kw("persistdir /x") == LegacyKeyword::unknown);
  CHECK(kw("persistdir=/x") == LegacyKeyword::persistdir);
  CHECK(kw("if=x") == LegacyKeyword::if_);
  CHECK(kw("pre-install a b") == LegacyKeyword::pre_install);
  CHECK(kw("frobnicate x") == LegacyKeyword::unknown);
  auto l = parse_legacy_line("ieee1394mapfile=/x");
  int gen = -1;
  CHECK(classify_legacy_keyword(*l, &gen) == LegacyKeyword::gen_file);
  CHECK(gen == static_cast<int>(GenFile::ieee1394map));
  l = parse_legacy_line("depfile=/x");
  CHECK(classify_legacy_keyword(*l, &gen) == LegacyKeyword::gen_file);
  CHECK(gen == static_cast<int>(GenFile::dep));
}

TEST_CASE("legacy parser: words and path tags", "[conf]") {
  CHECK(split_words("a  \"b c\" 'd e'f `uname -r` g\\ h") ==
        std::vector<std::string>{"a", "\"b c\"", "'d e'f", "`uname -r`", "g\\", "h"});
  CHECK(split_words("\"a \\\" b\" c") == std::vector<std::string>{"\"a \\\" b\"", "c"});
  CHECK(split_words("\"unclosed quote here") == std::vector<std::string>{"\"unclosed quote here"});
  auto [first, rest] = split_first_word("  -k   ne io=0x300 ");
  CHECK(first == "-k");
  CHECK(rest == "ne io=0x300 ");
  CHECK(legacy_path_tag("path[net]") == "net");
  CHECK(legacy_path_tag("path[]") == "");
  CHECK(legacy_path_tag("path") == "misc");
  CHECK(legacy_path_tag("path[x]y") == "misc");
  CHECK(legacy_path_tag("pathfoo") == "misc");
}

namespace {

// A compare condition as one line, so that a case checks every field at once.
std::string show_compare(std::string_view arg) {
  static const char* const ops[] = {"unknown", "eq", "ne", "lt", "le", "gt", "ge"};
  LegacyCondition c = parse_legacy_condition(arg);
  if (c.test != LegacyCondition::Test::compare) return "not a comparison";
  return std::string(c.negate ? "! " : "") + (c.numeric ? "-n " : "") + "[" + c.left + "] " +
         ops[static_cast<int>(c.op)] + " [" + c.right + "]";
}

}  // namespace

TEST_CASE("legacy parser: if conditions", "[conf]") {
  using T = LegacyCondition::Test;
  auto c = parse_legacy_condition("-k");
  CHECK(c.test == T::autoclean);
  CHECK_FALSE(c.negate);
  CHECK(parse_legacy_condition("-kx y").test == T::autoclean);  // a prefix, as modutils

  c = parse_legacy_condition("! -f  /etc/x y");
  CHECK(c.negate);
  CHECK(c.test == T::readable);
  CHECK(c.left == "/etc/x y");

  c = parse_legacy_condition("!x y");  // '!' takes its whole word with it
  CHECK(c.negate);
  CHECK(c.test == T::truth);
  CHECK(c.left == "y");

  // The comparisons, each field shown: [!] [-n] LEFT OP RIGHT.
  CHECK(show_compare("! ! x") == "! [!] unknown []");  // not repeated: tests "! x"
  CHECK(show_compare("-n 0x10 >= 8 9") == "-n [0x10] ge [8 9]");
  CHECK(show_compare("\"a b\" <= `c d`") == "[\"a b\"] le [`c d`]");

  CHECK(parse_legacy_condition("a = b").op == LegacyCmp::eq);
  CHECK(parse_legacy_condition("a != b").op == LegacyCmp::ne);
  CHECK(parse_legacy_condition("a <=x b").op == LegacyCmp::unknown);  // the whole word must be the operator
  CHECK(parse_legacy_condition("a <> b").op == LegacyCmp::unknown);

  c = parse_legacy_condition("$X  ");
  CHECK(c.test == T::truth);
  CHECK(c.left == "$X");
  c = parse_legacy_condition("");
  CHECK(c.test == T::truth);
  CHECK(c.left.empty());
  CHECK_FALSE(c.negate);
}
