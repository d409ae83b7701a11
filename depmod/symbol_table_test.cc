// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/symbol_table.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace mng {

TEST_CASE("NameTable stores, replaces and finds names as a map does", "[depmod][symbols]") {
  // Enough names to grow the table several times from a small start.
  std::vector<std::string> names;
  for (int i = 0; i < 5000; ++i) names.push_back("sym_" + std::to_string(i * 7919 % 10007));
  names.push_back("");  // an empty name is a name too
  NameTable<int> t(4);
  std::map<std::string, int> want;
  for (size_t i = 0; i < names.size(); ++i) {
    t[names[i]] = static_cast<int>(i);
    want[names[i]] = static_cast<int>(i);
  }
  // A name stored again keeps one entry, with the later value.
  t[names[3]] = -1;
  want[names[3]] = -1;
  CHECK(t.size() == want.size());
  for (const auto& [name, v] : want) {
    const int* got = t.find(name);
    REQUIRE(got != nullptr);
    CHECK(*got == v);
  }
  CHECK(t.find("sym_10008") == nullptr);
  CHECK(t.find("sym_") == nullptr);
  size_t seen = 0;
  t.for_each([&](std::string_view name, uint32_t hash, int v) {
    ++seen;
    CHECK(want.at(std::string(name)) == v);
    CHECK(hash == superfast_hash(name));
  });
  CHECK(seen == want.size());
}

}  // namespace mng
