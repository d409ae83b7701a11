// SPDX-License-Identifier: GPL-2.0-or-later
// lsmod: kmod's layout from a fake /proc and /sys (RealKernel under a
// root) and from the simulated kernel after insmod.
#include "tools/lsmod.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/test_util.h"
#include "tools/insmod.h"
#include "tools/rmmod.h"
#include "tools/tool_test_util.h"

using namespace mng;
using namespace mng::testing;

TEST_CASE("lsmod prints kmod's table from /proc/modules and /sys/module", "[tools][lsmod]") {
  TempDir t;
  t.write("proc/modules",
          "a_module_with_a_long_name 8192 0 - Live 0xffffffffc0a10000\n"
          "mod_b 16384 0 - Live 0xffffffffc0a00000\n"
          "mod_a 16384 1 mod_b, Live 0xffffffffc09f0000 (OE)\n");
  // coresize wins over the /proc/modules column; mod_b has none.
  t.write("sys/module/mod_a/coresize", "20480\n");
  t.write("sys/module/mod_a/refcnt", "1\n");
  std::filesystem::create_directories(t / "sys/module/mod_a/holders/mod_b");
  t.write("sys/module/mod_b/refcnt", "0\n");
  t.write("sys/module/a_module_with_a_long_name/refcnt", "3\n");
  t.write("sys/module/a_module_with_a_long_name/coresize", "123456789\n");
  RealKernel k(t.path);
  std::string table;
  REQUIRE(lsmod_table(k, &table));
  CHECK(table ==
        "Module                  Size  Used by\n"
        "a_module_with_a_long_name 123456789  3\n"
        "mod_b                  16384  0\n"
        "mod_a                  20480  1 mod_b\n");

  // Two holders: both listed, comma separated, in the directory's order.
  std::filesystem::create_directories(t / "sys/module/mod_a/holders/mod_c");
  REQUIRE(lsmod_table(k, &table));
  CHECK((table.ends_with("mod_a                  20480  1 mod_b,mod_c\n") ||
         table.ends_with("mod_a                  20480  1 mod_c,mod_b\n")));

  ToolRun run;
  run.root = t.path;
  std::filesystem::remove(t / "proc/modules");
  RealKernel none(t.path);
  std::ostringstream o, e;
  ToolEnv env{none, o, Logger{}, ""};
  env.log.program = "lsmod";
  env.log.stream = &e;
  CHECK(run_lsmod({}, env) == 1);
  CHECK(e.str() == "lsmod: ERROR: could not get list of modules: No such file or directory\n");
  CHECK(o.str().empty());
}

TEST_CASE("lsmod after insmod and rmmod on the simulated kernel", "[tools][lsmod]") {
  ToolRun run;
  REQUIRE(run(run_insmod, "insmod", {testmod("mod_a.ko")}) == 0);
  REQUIRE(run(run_insmod, "insmod", {testmod("mod_b.ko")}) == 0);
  CHECK(run(run_lsmod, "lsmod", {}) == 0);
  CHECK(run.out ==
        "Module                  Size  Used by\n"
        "mod_a                   4096  1 mod_b\n"
        "mod_b                   4096  0\n");
  REQUIRE(run(run_rmmod, "rmmod", {"mod_b", "mod_a"}) == 0);
  CHECK(run(run_lsmod, "lsmod", {}) == 0);
  CHECK(run.out == "Module                  Size  Used by\n");

  CHECK(run(run_lsmod, "lsmod", {"extra"}) == 1);
  CHECK(run.err == "lsmod: ERROR: too many arguments provided.\n");
  CHECK(run(run_lsmod, "list", {"-h"}) == 0);
  CHECK(run.out == "Usage:\n\tlist [options]\nOptions:\n"
                   "\t-s, --syslog      print to syslog, not stderr\n"
                   "\t-v, --verbose     enables more messages\n"
                   "\t-V, --version     show version\n"
                   "\t-h, --help        show this help\n");
}
