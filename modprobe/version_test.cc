// SPDX-License-Identifier: GPL-2.0-or-later
// The version modprobe -V prints is the one the build was given (from the
// file VERSION), and it has the form of a release number.
#include <catch2/catch.hpp>
#include <regex>
#include <string>

#include "common/version.h"
#include "modprobe/options.h"

TEST_CASE("the release number is a dotted number", "[version]") {
  std::string v = MNG_VERSION;
  CHECK(std::regex_match(v, std::regex("[0-9]+(\\.[0-9]+)+")));
}

TEST_CASE("modprobe -V names the release from VERSION", "[version]") {
  std::string text = mng::modprobe_version_text();
  std::string first = text.substr(0, text.find('\n'));
  CHECK(first == "modutils-ng modprobe version " MNG_VERSION
                 " (kmod 30 and modutils 2.4 compatible)");
}
