// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/output_set.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "common/file_util.h"

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

TEST_CASE("a journal's lines become renames only when whole and inside the directory", "[outputset]") {
  auto e = parse_journal(
      ".mng-modules.dep.1.tmp modules.dep\n"
      "not-a-temp modules.alias\n"
      ".mng-a.1.tmp sub/dir\n"
      ".mng-b.1.tmp \n"
      "no space at all\n"
      ".mng-modules.alias.1.tmp modules.alias\n"
      ".mng-modules.symbols.1.tmp modules.symbols");  // no newline: cut short
  REQUIRE(e.size() == 2);
  CHECK(e[0].temp == ".mng-modules.dep.1.tmp");
  CHECK(e[0].final_name == "modules.dep");
  CHECK(e[1].final_name == "modules.alias");
  CHECK(parse_journal(std::string(".mng-a.1.tmp x\0y\n", 17)).empty());
}

TEST_CASE("a journal that is no regular file is never read, and removed with a warning", "[outputset]") {
  for (bool fifo : {true, false}) {
    TempDir d;
    write_file(d / "modules.dep", "kept\n");
    if (fifo) REQUIRE(mkfifo((d / kOutputJournal).c_str(), 0600) == 0);
    else REQUIRE(symlink("/dev/zero", (d / kOutputJournal).c_str()) == 0);
    LogCapture log;
    recover_outputs(d.path);  // a blocking open or an endless read would never return
    REQUIRE(log.lines.size() == 1);
    CHECK(log.lines[0] == "OTHER: " + d / kOutputJournal + ": not a regular file (ignored and removed)");
    CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(d / kOutputJournal)));
    CHECK(read_file(d / "modules.dep") == "kept\n");
  }
}

TEST_CASE("a second writer waits for the lock on the directory and then succeeds", "[outputset]") {
  TempDir d;
  std::string err;
  // Another run holds the lock for a while (flock locks belong to the open
  // file description: a second open in this process contends like another process).
  UniqueFd holder(open(d.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  REQUIRE(flock(holder.get(), LOCK_EX) == 0);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    holder.reset();
  });
  LogCapture log;
  auto t0 = std::chrono::steady_clock::now();
  bool ok = write_output_set(d.path, {{"modules.dep", "after\n"}}, &err);
  auto waited = std::chrono::steady_clock::now() - t0;
  release.join();
  REQUIRE(ok);
  CHECK(waited >= std::chrono::milliseconds(250));
  CHECK(read_file(d / "modules.dep") == "after\n");
  REQUIRE(log.lines.size() == 1);
  CHECK(log.lines[0] == "OTHER: waiting for another depmod writing in " + d.path);
  // Released: the next run does not wait.
  CHECK(write_output_set(d.path, {{"modules.dep", "again\n"}}, &err));
  CHECK(log.lines.size() == 1);
}
