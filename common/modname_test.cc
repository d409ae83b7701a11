// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/modname.h"

#include <catch2/catch.hpp>

using mng::normalize_alias;

TEST_CASE("normalize_alias turns dashes outside brackets into underscores", "[modname]") {
  CHECK(normalize_alias("pci:v-1-2") == "pci:v_1_2");
  CHECK(normalize_alias("a-[x-z]-b") == "a_[x-z]_b");
  CHECK(normalize_alias("a[[-]-b") == "a[[-]_b");  // a '[' inside a class is an ordinary byte
  CHECK(normalize_alias("snd-hda-intel") == "snd_hda_intel");
  CHECK(normalize_alias("") == "");
  CHECK(normalize_alias("[-]") == "[-]");
  CHECK(normalize_alias("pci:v*d[0-9]*") == "pci:v*d[0-9]*");
}

TEST_CASE("normalize_alias refuses unmatched brackets", "[modname]") {
  CHECK_FALSE(normalize_alias("bad]x"));
  CHECK_FALSE(normalize_alias("open[abc"));
  CHECK_FALSE(normalize_alias("a[b]c]"));
  CHECK_FALSE(normalize_alias("a-b["));
  CHECK_FALSE(normalize_alias("x-[a-b]-y-[z"));
}

TEST_CASE("normalize_modname turns every dash into an underscore", "[modname]") {
  CHECK(mng::normalize_modname("a-b-c") == "a_b_c");
  CHECK(mng::normalize_modname("a[-]") == "a[_]");  // no bracket rule for module names
  CHECK(mng::modname_from_path("/lib/modules/6.1/kernel/x/snd-hda.ko.xz") == "snd_hda");
  CHECK(mng::modname_from_path("dir.d/x-y") == "x_y");
}
