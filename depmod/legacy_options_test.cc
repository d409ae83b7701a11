// SPDX-License-Identifier: GPL-2.0-or-later
// modutils' depmod on the real test modules: -q and -u, and the form
// `depmod file...` that prints the dependency lines instead of writing.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>

#include "common/log.h"
#include "depmod/depmod.h"
#include "depmod/depmod_cli.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

struct Result {
  int rc;
  std::string log;  // what depmod said, one "LEVEL: text" line per message
  std::string out;  // what it wrote on standard output
};

// Runs depmod with OPT, catching its messages and its standard output.
Result run_caught(const DepmodOptions& opt, const TempDir& scratch) {
  Result r;
  std::string out_file = scratch / "stdout";
  fflush(stdout);
  int saved = dup(1);
  int fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(saved >= 0);
  REQUIRE(fd >= 0);
  dup2(fd, 1);
  close(fd);
  {
    LogCapture cap;
    r.rc = run_depmod(opt);
    for (const auto& line : cap.lines) r.log += line + "\n";
  }
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  r.out = read_file(out_file);
  return r;
}

// ROOT/lib/modules/KVER with mod_a and mod_b (which needs mod_a's symbol),
// and a System.map that knows only __fentry__: the modules' other kernel
// symbols are unresolved.
std::string make_tree(const TempDir& root) {
  std::string dir = root / ("lib/modules/" + testmods_kver());
  copy_file(testmods_dir() + "/mod_a.ko", dir + "/kernel/mod_a.ko");
  copy_file(testmods_dir() + "/mod_b.ko", dir + "/kernel/mod_b.ko");
  write_file(dir + "/modules.order", "kernel/mod_a.ko\nkernel/mod_b.ko\n");
  write_file(root / "System.map", "ffffffff81000000 T __fentry__\nffffffff81000010 r __ksymtab___fentry__\n");
  return dir;
}

DepmodOptions options(const TempDir& root) {
  DepmodOptions opt;
  opt.basedir = root.path;
  opt.kver = testmods_kver();
  opt.config_paths = {root / "no-config"};
  opt.dry_run = true;
  return opt;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("depmod -u: an unresolved symbol makes the status 1; -q silences the messages",
          "[depmod][legacy]") {
  TempDir root;
  make_tree(root);
  DepmodOptions opt = options(root);
  opt.system_map = root / "System.map";

  // -u sets the status, -e and -u report, -q silences; the files are the
  // same whatever is said.
  struct Case {
    bool unresolved_error, quiet, errsyms;
    int rc;
    bool reported;
  };
  const Case cases[] = {
      {false, false, false, 0, false},  // neither -u nor -e: nothing checked
      {true, false, false, 1, true},    // -u
      {true, true, false, 1, false},    // -u -q
      {false, true, true, 0, false},    // -e -q: checked, nothing said
      {false, false, true, 0, true},    // -e
  };
  Result plain = run_caught(opt, root);
  size_t reported = 0;
  for (const Case& c : cases) {
    INFO("-u " << c.unresolved_error << " -q " << c.quiet << " -e " << c.errsyms);
    opt.unresolved_error = c.unresolved_error;
    opt.quiet_unresolved = c.quiet;
    opt.errsyms = c.errsyms;
    Result r = run_caught(opt, root);
    CHECK(r.rc == c.rc);
    CHECK(r.out == plain.out);
    size_t n = count(r.log, "needs unknown symbol");
    CHECK((n > 0) == c.reported);
    if (c.reported && reported == 0) reported = n;
    if (c.reported) CHECK(n == reported);  // -e and -u report the same symbols
  }

  // Without the kernel's symbols there is nothing to check against.
  DepmodOptions nomap = options(root);
  nomap.unresolved_error = true;
  Result n = run_caught(nomap, root);
  CHECK(n.rc == 0);
  CHECK(n.log.find("-u needs -E or -F\n") != std::string::npos);
}

TEST_CASE("depmod -u also sets the status when the files are written", "[depmod][legacy]") {
  TempDir root;
  std::string dir = make_tree(root);
  DepmodOptions opt = options(root);
  opt.dry_run = false;
  opt.system_map = root / "System.map";
  opt.unresolved_error = true;
  opt.quiet_unresolved = true;
  Result r = run_caught(opt, root);
  CHECK(r.rc == 1);
  CHECK(count(r.log, "needs unknown symbol") == 0);
  CHECK(read_file(dir + "/modules.dep") == "kernel/mod_a.ko:\nkernel/mod_b.ko: kernel/mod_a.ko\n");
}

TEST_CASE("depmod file...: modutils prints the modules' dependency lines and writes nothing",
          "[depmod][legacy]") {
  TempDir root, mods;
  std::string dir = make_tree(root);
  copy_file(testmods_dir() + "/mod_a.ko", mods / "mod_a.o");
  copy_file(testmods_dir() + "/mod_b.ko", mods / "net/mod_b.o");
  auto before = read_file(dir + "/modules.order");

  // As the command line gives it: files only, no version.
  // kmod's order would put mod_b first; the running kernel has no module
  // directory here, so nothing may complain about its modules.order.
  DepmodCommand cmd = parse_depmod_command_line({"-b", root.path, mods / "mod_a.o", mods / "net/mod_b.o"},
                                                "0.0-not-installed");
  REQUIRE(cmd.action == DepmodCommand::Action::run);
  REQUIRE(cmd.opt.files_dep_to_stdout);
  cmd.opt.config_paths = {root / "no-config"};
  Result r = run_caught(cmd.opt, root);
  CHECK(r.rc == 0);
  // modutils' layout: absolute paths, a tab before each dependency, a
  // blank line after every module; only modules.dep, no other file.
  // The modules come in the order of the operands.
  CHECK(r.out == mods / "mod_a.o:\n\n" + mods / "net/mod_b.o:\t" + mods / "mod_a.o\n\n");
  CHECK(r.log.find("modules.order") == std::string::npos);
  CHECK(r.out.find("# Aliases") == std::string::npos);
  // Nothing was written.
  CHECK(!std::filesystem::exists(dir + "/modules.dep"));
  CHECK(!std::filesystem::exists(mods / "modules.dep"));
  CHECK(read_file(dir + "/modules.order") == before);
}

TEST_CASE("depmod file...: an operand that cannot be read is named, the others printed, the status 1",
          "[depmod][legacy]") {
  TempDir root, mods;
  copy_file(testmods_dir() + "/mod_a.ko", mods / "mod_a.o");
  DepmodCommand cmd =
      parse_depmod_command_line({"-b", root.path, mods / "missing.o", mods / "mod_a.o"}, "0.0-not-installed");
  REQUIRE(cmd.opt.files_dep_to_stdout);
  cmd.opt.config_paths = {root / "no-config"};
  Result r = run_caught(cmd.opt, root);
  CHECK(r.rc == 1);
  CHECK(r.out == mods / "mod_a.o:\n\n");
  CHECK(r.log.find(mods / "missing.o: ") != std::string::npos);
}
