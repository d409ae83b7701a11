// SPDX-License-Identifier: GPL-2.0-or-later
// Config directory merging.  Expectations were taken from Debian's kmod 30:
// `depmod -vv -b T -C d1 -C d2 -C missing -C single.txt -C d3 KVER` with
// one bad line per file (the errors show the parse order), and
// `modprobe -C ... -c` under strace for the modprobe flavour.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/log.h"
#include "conf/config_dirs.h"
#include "tests/test_util.h"

namespace {

using mng::ConfigFile;
using mng::testing::TempDir;
using mng::testing::write_file;

using Captured = mng::testing::DiagCapture;

std::vector<std::string> paths_of(const std::vector<ConfigFile>& files) {
  return mng::testing::members_of(files, &ConfigFile::path);
}

// Empty files at each of RELS below T.
void touch_all(const TempDir& t, std::initializer_list<const char*> rels) {
  for (const char* rel : rels) write_file(t / rel, "");
}

// The kmod 30 tree: d1, d2, d3 with shadowed names, skipped names, a
// subdirectory, a dangling symlink, plus a single file without .conf.
void make_tree(const TempDir& t) {
  for (const char* f : {"d1/b.conf", "d1/z.conf", "d1/conf", "d2/a.conf", "d2/b.conf", "d2/c.conf",
                        "d2/.hidden.conf", "d2/x.txt", "d2/.conf", "d2/_.conf", "d3/a.conf",
                        "d3/B.conf", "d3/10-x.conf", "single.txt"})
    write_file(t / f, "bad\n");
  std::filesystem::create_directories(t / "d2/sub.conf");
  std::filesystem::create_directories(t / "d2/subdir");
  REQUIRE(symlink("/nonexistent-mng-target", (t / "d1/broken.conf").c_str()) == 0);
}

}  // namespace

TEST_CASE("config dirs: merge, sort by basename, shadowing, filters", "[depmodconf]") {
  TempDir t;
  make_tree(t);
  Captured cap;
  auto files = mng::list_config_files({t / "d1", t / "d2", t / "nonexist", t / "single.txt", t / "d3"}, "", {}, {}, &cap);
  // kmod 30 parsed exactly these, in this order: strcmp order of basenames,
  // d2/b.conf hidden by d1/b.conf, d3/a.conf by d2/a.conf; the dangling
  // symlink is listed (kmod then fails to open it).
  CHECK(paths_of(files) == std::vector<std::string>{
                               t / "d3/10-x.conf", t / "d3/B.conf", t / "d2/_.conf", t / "d2/a.conf",
                               t / "d1/b.conf", t / "d1/broken.conf", t / "d2/c.conf",
                               t / "single.txt", t / "d1/z.conf"});
  CHECK(files[0].basename == "10-x.conf");
  CHECK(files[7].basename == "single.txt");
  // Dot files and the missing directory are silent; readdir order decides
  // the order of these messages, so compare them sorted.
  CHECK(cap.sorted() == std::vector<std::string>{
                            "ERROR: Directories inside directories are not supported: " + (t / "d2/sub.conf"),
                            "INFO: All cfg files need .conf: " + (t / "d1/conf"),
                            "INFO: All cfg files need .conf: " + (t / "d2/subdir"),
                            "INFO: All cfg files need .conf: " + (t / "d2/x.txt")});
}

TEST_CASE("config dirs: directory path is joined literally", "[depmodconf]") {
  TempDir t;
  make_tree(t);
  Captured cap;
  // kmod 30 with "-C d1/" printed "/…/d1//b.conf".
  auto files = mng::list_config_files({t / "d1/"}, "", {}, {}, &cap);
  CHECK(paths_of(files) == std::vector<std::string>{t / "d1//b.conf", t / "d1//broken.conf", t / "d1//z.conf"});
  CHECK(cap.lines == std::vector<std::string>{"INFO: All cfg files need .conf: " + (t / "d1//conf")});
}

TEST_CASE("config dirs: /dev/null named directly is no configuration, silently", "[depmodconf]") {
  Captured cap;
  // kmod 30: `depmod -vv -C /dev/null` printed nothing and parsed nothing.
  CHECK(mng::list_config_files({"/dev/null"}, "", {}, {}, &cap).empty());
  CHECK(cap.lines.empty());
}

TEST_CASE("config dirs: a FIFO or another device named directly is skipped with an error", "[depmodconf]") {
  TempDir t;
  REQUIRE(mkfifo((t / "fifo.conf").c_str(), 0600) == 0);
  Captured cap;
  CHECK(mng::list_config_files({t / "fifo.conf", "/dev/zero"}, "", {}, {}, &cap).empty());
  CHECK(cap.lines == std::vector<std::string>{"ERROR: " + (t / "fifo.conf") + ": not a regular file (ignored)",
                                              "ERROR: /dev/zero: not a regular file (ignored)"});
}

TEST_CASE("config dirs: root prefix", "[depmodconf]") {
  TempDir t;
  touch_all(t, {"etc/depmod.d/a.conf", "lib/depmod.d/a.conf", "lib/depmod.d/b.conf"});
  Captured cap;
  auto files = mng::list_config_files(mng::default_depmod_dirs(), t.path, {}, {}, &cap);
  CHECK(paths_of(files) == std::vector<std::string>{t / "etc/depmod.d/a.conf", t / "lib/depmod.d/b.conf"});
  CHECK(cap.lines.empty());
}

TEST_CASE("config dirs: default directory lists", "[depmodconf]") {
  CHECK(mng::default_depmod_dirs() ==
        std::vector<std::string>{"/etc/depmod.d", "/run/depmod.d", "/usr/local/lib/depmod.d",
                                 "/usr/lib/depmod.d", "/lib/depmod.d"});
  CHECK(mng::default_modprobe_dirs() ==
        std::vector<std::string>{"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
                                 "/usr/lib/modprobe.d", "/lib/modprobe.d"});
}

TEST_CASE("config dirs: injected entries sort by name and win over paths", "[depmodconf]") {
  TempDir t;
  touch_all(t, {"c/a.conf", "c/n.conf", "c/modules.softdep"});
  Captured cap;
  // modprobe (kmod 30) -C c -C c/modules.softdep opened c/a.conf,
  // DIR/modules.softdep, c/n.conf, and never c/modules.softdep.
  std::string dir_softdep = t / "lib/modules/K/modules.softdep";
  auto files = mng::list_config_files({t / "c", t / "c/modules.softdep"}, "",
                                      {ConfigFile{dir_softdep, "modules.softdep"}}, {}, &cap);
  // The default (depmod) flavour names what it skipped.
  CHECK(cap.lines == std::vector<std::string>{"INFO: All cfg files need .conf: " + (t / "c/modules.softdep")});
  CHECK(paths_of(files) == std::vector<std::string>{t / "c/a.conf", dir_softdep, t / "c/n.conf"});
}

TEST_CASE("config dirs: modprobe flavour accepts .alias and skips silently", "[depmodconf]") {
  TempDir t;
  touch_all(t, {"d/a.conf", "d/b.alias", "d/c.txt"});
  std::filesystem::create_directories(t / "d/sub.conf");
  std::filesystem::create_directories(t / "d/subdir");
  Captured cap;
  mng::ConfigListOptions opt;
  opt.suffixes = {".conf", ".alias"};
  opt.report_skipped = false;
  // kmod 30 modprobe -c showed the aliases of a.conf and b.alias only and
  // complained about sub.conf only.
  auto files = mng::list_config_files({t / "d"}, "", {}, opt, &cap);
  CHECK(paths_of(files) == std::vector<std::string>{t / "d/a.conf", t / "d/b.alias"});
  CHECK(cap.lines ==
        std::vector<std::string>{"ERROR: Directories inside directories are not supported: " + (t / "d/sub.conf")});
}

TEST_CASE("config dirs: names shorter than six characters are skipped", "[depmodconf]") {
  TempDir t;
  write_file(t / "d/a.conf", "");   // 6 characters: accepted
  write_file(t / "d/xconf", "");    // no dot
  write_file(t / "d/conf", "");     // too short
  Captured cap;
  auto files = mng::list_config_files({t / "d"}, "", {}, {}, &cap);
  CHECK(paths_of(files) == std::vector<std::string>{t / "d/a.conf"});
  CHECK(cap.sorted() == std::vector<std::string>{"INFO: All cfg files need .conf: " + (t / "d/conf"),
                                                 "INFO: All cfg files need .conf: " + (t / "d/xconf")});
}

TEST_CASE("config dirs: messages are handed back, never printed", "[depmodconf]") {
  TempDir t;
  std::filesystem::create_directories(t / "d/sub.conf");
  write_file(t / "d/x.txt", "");
  // Anything printed through the process logger would land here.
  std::vector<std::string> printed;
  mng::DiagnosticList diags;
  {
    mng::testing::LogSinkScope sink([](mng::Level, std::string_view text, void* ctx) {
      static_cast<std::vector<std::string>*>(ctx)->emplace_back(text);
    }, &printed);
    int old_verbosity = mng::log_verbosity();
    mng::set_log_verbosity(static_cast<int>(mng::Level::debug));
    mng::list_config_files({t / "d"}, "", {}, {}, &diags);
    mng::list_config_files({t / "d"});  // nobody listening: dropped
    mng::set_log_verbosity(old_verbosity);
  }
  CHECK(printed.empty());
  REQUIRE(diags.items.size() == 2);
  // The entry concerned is the diagnostic's file; no line number.
  std::sort(diags.items.begin(), diags.items.end(),
            [](const mng::Diagnostic& a, const mng::Diagnostic& b) { return a.file < b.file; });
  CHECK(diags.items[0].level == mng::Level::error);
  CHECK(diags.items[0].file == t / "d/sub.conf");
  CHECK(diags.items[0].line == 0);
  CHECK(diags.items[1].level == mng::Level::info);
  CHECK(diags.items[1].file == t / "d/x.txt");
}
