// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/scan.h"

#include <sys/stat.h>
#include <sys/time.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {
void set_mtime(const std::string& path, time_t when) {
  timeval tv[2] = {{when, 0}, {when, 0}};
  REQUIRE(utimes(path.c_str(), tv) == 0);
}
}  // namespace

TEST_CASE("-A: up to date only when no module is newer than modules.dep", "[scan]") {
  TempDir d;
  write_file(d / "mods/kernel/a/x.ko", "");
  write_file(d / "mods/build/ignored.ko", "");
  write_file(d / "out/modules.dep", "");
  set_mtime(d / "mods/kernel/a/x.ko", 1000);
  set_mtime(d / "mods/build/ignored.ko", 5000);
  set_mtime(d / "out/modules.dep", 2000);
  CHECK(outputs_up_to_date(d / "mods", d / "out"));
  set_mtime(d / "mods/kernel/a/x.ko", 3000);
  CHECK_FALSE(outputs_up_to_date(d / "mods", d / "out"));
  set_mtime(d / "mods/kernel/a/x.ko", 1000);
  // Files that are not modules do not count.
  write_file(d / "mods/kernel/a/readme.txt", "");
  set_mtime(d / "mods/kernel/a/readme.txt", 9000);
  CHECK(outputs_up_to_date(d / "mods", d / "out"));
  // No modules.dep: never up to date.
  CHECK_FALSE(outputs_up_to_date(d / "mods", d / "elsewhere"));
}

TEST_CASE("the module walk descends by directory descriptors and skips build and source", "[scan]") {
  TempDir d;
  touch_files(d, {"m/kernel/a/one.ko", "m/kernel/a/b/two.ko.xz", "m/build/three.ko", "m/source/four.ko",
                  "m/kernel/skipme/five.ko", "m/kernel/notes.txt"});
  REQUIRE(symlink("a", (d / "m/kernel/link").c_str()) == 0);  // d_type DT_LNK: resolved with fstatat
  ModuleSet set;
  scan_directory(d / "m/", d / "m", "", {"skipme"}, [](auto&, auto&) { return false; }, &set);
  // one and two are reached twice (also through the link), kept once by name.
  REQUIRE(set.modules.size() == 2);
  std::vector<std::string> names;
  for (auto& m : set.modules) {
    names.push_back(m.modname);
    std::string_view r = m.relpath;
    CHECK((r.starts_with("kernel/a/") || r.starts_with("kernel/link/")));
  }
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"one", "two"});
}

TEST_CASE("read_in_dir reads a file relative to its directory, capped", "[scan]") {
  TempDir d;
  write_file(d / "m/modules.order", "kernel/a.ko\n");
  std::string text;
  REQUIRE(read_in_dir(d / "m", "modules.order", 1024, &text));
  CHECK(text == "kernel/a.ko\n");
  CHECK_FALSE(read_in_dir(d / "m", "modules.order", 4, &text));
  CHECK(errno == EFBIG);
  CHECK_FALSE(read_in_dir(d / "m", "absent", 1024, &text));
  CHECK(errno == ENOENT);
  CHECK_FALSE(read_in_dir(d / "none", "modules.order", 1024, &text));
  CHECK(errno == ENOENT);
}

TEST_CASE("the module walk skips a directory loop with one warning", "[scan]") {
  TempDir d;
  touch_files(d, {"m/kernel/a/one.ko", "m/kernel/a/b/two.ko"});
  REQUIRE(symlink(".", (d / "m/kernel/a/self").c_str()) == 0);
  REQUIRE(symlink("../..", (d / "m/kernel/a/b/up").c_str()) == 0);
  ModuleSet set;
  LogCapture log;
  scan_directory(d / "m", d / "m", "", {}, [](auto&, auto&) { return false; }, &set);
  REQUIRE(set.modules.size() == 2);
  for (auto& m : set.modules) CHECK(m.relpath.find("self") == std::string::npos);
  for (auto& m : set.modules) CHECK(m.relpath.find("up") == std::string::npos);
  CHECK(log.sorted() == std::vector<std::string>{
                            "OTHER: directory loop: " + d / "m/kernel/a/b/up" + " is " + d / "m/kernel" + " again (skipped)",
                            "OTHER: directory loop: " + d / "m/kernel/a/self" + " is " + d / "m/kernel/a" + " again (skipped)",
                        });
}
