// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/output_set.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

TEST_CASE("publishing replaces every file and leaves no temporaries", "[outputset]") {
  TempDir d;
  write_file(d / "modules.dep", "old\n");
  std::string err;
  REQUIRE(publish_outputs(d.path, {{"modules.dep", "new dep\n"}, {"modules.alias", "new alias\n"}}, &err));
  CHECK(read_file(d / "modules.dep") == "new dep\n");
  CHECK(read_file(d / "modules.alias") == "new alias\n");
  struct stat st;
  REQUIRE(stat((d / "modules.dep").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  for (auto& e : std::filesystem::directory_iterator(d.path)) {
    std::string name = e.path().filename();
    CHECK((name == "modules.dep" || name == "modules.alias"));
  }
}

TEST_CASE("a failed write replaces nothing", "[outputset]") {
  TempDir d;
  write_file(d / "modules.dep", "old\n");
  std::string err;
  CHECK_FALSE(publish_outputs(d / "nonexistent", {{"modules.dep", "x"}}, &err));
  CHECK(err.find("nonexistent") != std::string::npos);
  CHECK(read_file(d / "modules.dep") == "old\n");
}

TEST_CASE("an interrupted publication is completed by the next run", "[outputset]") {
  TempDir d;
  write_file(d / "modules.dep", "old dep\n");
  write_file(d / "modules.alias", "old alias\n");
  // State of a run killed after its journal was in place and one rename done.
  write_file(d / ".mng-modules.alias.123.tmp", "new alias\n");
  write_file(d / "modules.dep", "new dep\n");
  write_file(d / kOutputJournal, ".mng-modules.dep.123.tmp modules.dep\n.mng-modules.alias.123.tmp modules.alias\n");
  // And a stray temporary of a run killed before its journal existed.
  write_file(d / ".mng-modules.symbols.77.tmp", "partial");
  recover_outputs(d.path);
  CHECK(read_file(d / "modules.dep") == "new dep\n");
  CHECK(read_file(d / "modules.alias") == "new alias\n");
  CHECK_FALSE(std::filesystem::exists(d / kOutputJournal));
  CHECK_FALSE(std::filesystem::exists(d / ".mng-modules.symbols.77.tmp"));
}

TEST_CASE("a journal cannot be used to write outside the directory", "[outputset]") {
  TempDir d;
  write_file(d / ".mng-x.1.tmp", "evil");
  write_file(d / kOutputJournal, ".mng-x.1.tmp ../escaped\n");
  recover_outputs(d.path);
  CHECK_FALSE(std::filesystem::exists(d.path + "/../escaped"));
  CHECK_FALSE(std::filesystem::exists(d / ".mng-x.1.tmp"));
}

TEST_CASE("publication works relative to the directory it opened", "[outputset]") {
  TempDir d;
  std::filesystem::create_directories(d / "out");
  std::string err;
  int fd = open_output_dir(d / "out", false, &err);
  REQUIRE(fd >= 0);
  // Once opened, the path no longer matters: move the directory away.
  std::filesystem::rename(d / "out", d / "moved");
  REQUIRE(publish_outputs(fd, d / "out", {{"modules.dep", "dep\n"}}, &err));
  close(fd);
  CHECK(read_file(d / "moved/modules.dep") == "dep\n");
  CHECK_FALSE(std::filesystem::exists(d / "out"));
}

TEST_CASE("recovery works relative to the directory it opened", "[outputset]") {
  TempDir d;
  write_file(d / "out/.mng-modules.dep.5.tmp", "new\n");
  write_file(d / (std::string("out/") + kOutputJournal), ".mng-modules.dep.5.tmp modules.dep\n");
  std::string err;
  int fd = open_output_dir(d / "out", false, &err);
  REQUIRE(fd >= 0);
  std::filesystem::rename(d / "out", d / "moved");
  recover_outputs(fd, d / "out");
  close(fd);
  CHECK(read_file(d / "moved/modules.dep") == "new\n");
  CHECK_FALSE(std::filesystem::exists(d / (std::string("moved/") + kOutputJournal)));
  CHECK_FALSE(std::filesystem::exists(d / "moved/.mng-modules.dep.5.tmp"));
}

TEST_CASE("the output directory is created when missing", "[outputset]") {
  TempDir d;
  std::string err;
  REQUIRE(write_output_set(d / "a/b/c", {{"modules.dep", "x\n"}}, &err));
  CHECK(read_file(d / "a/b/c/modules.dep") == "x\n");
  struct stat st;
  REQUIRE(stat((d / "a/b").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0755 & ~[] { mode_t m = umask(0); umask(m); return m; }()));
  // A file in the way is reported with the directory's name.
  write_file(d / "file", "");
  CHECK_FALSE(write_output_set(d / "file/sub", {{"modules.dep", "x\n"}}, &err));
  CHECK(err.find("could not create directory " + d / "file/sub") == 0);
  CHECK_FALSE(open_output_dir(d / "none", false, &err) >= 0);
  CHECK(err.find("could not open directory") == 0);
}
