// SPDX-License-Identifier: GPL-2.0-or-later
// The option-table helpers: kmod's help layout and the Boost descriptions.
#include "common/cli_help.h"

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <catch2/catch.hpp>

using namespace mng;

TEST_CASE("cli_help: kmod's column layout, continuation lines, unlisted rows", "[common][help]") {
  const CliOption table[] = {
      {'a', "all", nullptr, "first line\nsecond line", 1, 0},
      {0, "long-only", "=X", "text", 2, 0},
      {'b', "hidden", nullptr, nullptr, 1, 0},
      {'c', "other", nullptr, "elsewhere", 3, 1},
      {0, "a-very-long-option-name", " <N>", "x", 4, 0},
  };
  CHECK(cli_help_section(table, 0, 12) ==
        "\t-a, --all   first line\n"
        "\t            second line\n"
        "\t    --long-only=X text\n"
        "\t    --a-very-long-option-name <N> x\n");
  CHECK(cli_help_section(table, 1, 12) == "\t-c, --other elsewhere\n");
  auto desc = cli_descriptions(table);
  REQUIRE(desc.options().size() == 4);
  const auto* d = desc.find_nothrow("hidden", false);
  REQUIRE(d);
  CHECK(d->long_name() == "all");  // the id's first long name is the key
  CHECK(desc.find_nothrow("-b", false) == d);
  CHECK(desc.find("long-only", false).semantic()->max_tokens() == 1);
  CHECK(cli_find_key(table, "other")->id == 3);
  CHECK(cli_find_key(table, "nope") == nullptr);
}
